/// One input record: an image URL and its description, as in the original
/// dataset's `[{"url": ..., "description": ...}]`, plus any other fields,
/// kept and carried through to the manifest.
public struct Record: Sendable, Equatable {
    /// Position in the records file, from 0.
    public var index: Int
    /// The image URL as given.
    public var url: String
    /// The description (may be empty).
    public var description: String
    /// Other fields of the record, by name, as JSON-compatible text values.
    public var extra: [String: String]

    public init(index: Int, url: String, description: String, extra: [String: String] = [:]) {
        self.index = index
        self.url = url
        self.description = description
        self.extra = extra
    }
}
