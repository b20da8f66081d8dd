/// Names in the ganprep HDF5 layout (format "ganprep", version 1).
///
/// ```
/// /images         float32 [N, H, W, C] in [-1, 1], chunked along N, extendable
/// /descriptions   variable-length UTF-8 strings [N]
/// /urls           variable-length UTF-8 strings [N]
/// /sha256         variable-length strings [N] (hex digests of the source files)
/// /labels         int32 [N], each image's class: an index into /label_names (optional)
/// /label_names    variable-length UTF-8 strings [K], sorted (with /labels)
/// root attributes format, format_version, height, width, channels,
///                 channel_order, value_range, resize_mode, count, created_by,
///                 label_source (description, field:NAME or folder; with /labels)
/// ```
public enum DatasetLayout {
    /// The `format` root attribute's value.
    public static let formatName = "ganprep"
    /// The `format_version` root attribute's value.
    public static let formatVersion = 1
    /// The images, float32 [N, H, W, C] in [-1, 1].
    public static let images = "images"
    /// Each image's description, UTF-8 [N].
    public static let descriptions = "descriptions"
    /// Each image's source URL (empty for a folder's file), UTF-8 [N].
    public static let urls = "urls"
    /// Each image's source file's SHA-256, hex [N].
    public static let sha256 = "sha256"
    /// Each image's class, int32 [N], an index into label_names.
    public static let labels = "labels"
    /// The class names, sorted, UTF-8 [K].
    public static let labelNames = "label_names"

    /// The largest chunk, in bytes, that pack writes and readers accept:
    /// libhdf5 refuses 4 GiB, and holds a whole chunk in memory to read any part of it.
    public static let maxChunkBytes = 1 << 30

    /// Images per chunk: whole images along N, about 1 MiB per chunk (at
    /// least 1, at most 1024 images). One chunk is then one read of a streamed
    /// mini-batch source, and fits libhdf5's default 1 MiB chunk cache.
    public static func defaultChunk(height: Int, width: Int, channels: Int) -> Int {
        let bytes = height * width * channels * MemoryLayout<Float>.size
        return max(1, min(1024, (1 << 20) / max(bytes, 1)))
    }
}
