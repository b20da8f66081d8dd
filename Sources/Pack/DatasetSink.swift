
/// One image's metadata as it goes into the file.
public struct SampleInfo: Sendable {
    /// The image's description.
    public var description: String
    /// Its source URL (empty for a folder's file).
    public var url: String
    /// Its source file's SHA-256.
    public var sha256: String
    /// The class label's text, nil when the image has none.
    public var label: String?
    /// One image's metadata.
    public init(description: String, url: String, sha256: String, label: String? = nil) {
        self.description = description
        self.url = url
        self.sha256 = sha256
        self.label = label
    }
}

/// Something `pack` appends images to, in order: DatasetFile's writers of
/// the ganprep and GAPCV layouts (`PackOptions.makeSink` makes one). Errors
/// are the writer's own; `Packer` reports them as `PackError.output`.
public protocol DatasetSink: AnyObject {
    /// Appends `infos.count` images, `options.sampleSize` floats each, from `pixels`.
    func append(_ pixels: UnsafeBufferPointer<Float>, infos: [SampleInfo]) throws
    /// Writes the labels and the closing attributes and closes the file, with
    /// libhdf5's last writes, before the caller renames it into place;
    /// `seconds` is the packing time, `failed` the skipped count. Returns the
    /// labels' outcome.
    func finish(seconds: Double, failed: Int) throws -> LabelVocabulary
    /// Images appended so far.
    var count: Int { get }
    /// Sets a text attribute of the file's root (before `finish`).
    func setRootText(_ name: String, _ value: String) throws
}
