/// One input record: an image URL and its description, as in the original
/// dataset's `[{"url": ..., "description": ...}]`, plus any other fields,
/// kept in order and carried through to the manifest.
public struct Record: Sendable, Equatable {
    /// Position in the records file, from 0.
    public var index: Int
    /// The image URL as given.
    public var url: String
    /// The description (empty when the record has none).
    public var description: String
    /// The record's other fields, in their order (a JSON object).
    public var extra: JSONValue
    /// The line of the records file where the record starts, from 1.
    public var line: Int
    /// Why the record cannot be fetched although the file is well formed
    /// (it is larger than a record may be): fetch reports it as an
    /// `invalid_record` with this reason and goes on with the rest. Its
    /// url, description and fields are then left empty.
    public var refusal: String?

    /// A record; `extra` holds its other fields.
    public init(index: Int, url: String, description: String, extra: JSONValue = .object([]), line: Int = 0) {
        self.index = index
        self.url = url
        self.description = description
        self.extra = extra
        self.line = line
    }
}
