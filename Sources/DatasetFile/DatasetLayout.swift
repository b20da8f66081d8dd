/// Names in the ganprep HDF5 layout (format "ganprep", version 1); see
/// DESIGN.md, "The HDF5 layout".
public enum DatasetLayout {
    /// The `format` root attribute's value.
    public static let formatName = "ganprep"
    /// The `format_version` root attribute's value.
    public static let formatVersion = 1
    /// float32 [N, H, W, C] in [-1, 1].
    public static let images = "images"
    /// Variable-length UTF-8 strings [N].
    public static let descriptions = "descriptions"
    public static let urls = "urls"
    public static let sha256 = "sha256"
}
