import Foundation

/// Reads records files: a JSON array of `{"url", "description", ...}`
/// objects, JSON Lines, or CSV with a header.
///
/// Structural problems (malformed text, a record that is not an object, a
/// missing or non-string `url`, a non-string `description`) fail the whole
/// file with an error that names the line and record: the input needs fixing
/// before any download makes sense. A `url` that is a string but not a
/// usable http(s) URL is kept; the downloader reports it as an invalid record.
/// So is a record larger than `maxRecordBytes`: it is kept with its
/// `refusal` (and none of its text), and the rest of the file is read.
public struct RecordsReader: Sendable {
    /// The largest records file (or standard input) read, in bytes.
    public var maxTotalBytes: Int
    /// The largest one record may be, in bytes of the file.
    public var maxRecordBytes: Int

    /// 1 GiB in all and 1 MiB per record unless told otherwise.
    public init(maxTotalBytes: Int = 1 << 30, maxRecordBytes: Int = 1 << 20) {
        self.maxTotalBytes = maxTotalBytes
        self.maxRecordBytes = maxRecordBytes
    }

    /// Reads records from a file, or from standard input when `path` is "-"
    /// (all of them: `RecordStream` reads them one at a time).
    public func read(path: String, format: RecordsFormat? = nil) throws(RecordsError) -> [Record] {
        try collect(RecordStream(path: path, format: format, reader: self))
    }

    /// Parses records from bytes; `name` is used in messages.
    public func parse(_ bytes: [UInt8], name: String, format: RecordsFormat) throws(RecordsError) -> [Record] {
        try collect(RecordStream(bytes: bytes, name: name, format: format, reader: self))
    }

    private func collect(_ stream: RecordStream) throws(RecordsError) -> [Record] {
        var records: [Record] = []
        while let record = try stream.next() { records.append(record) }
        return records
    }

    /// `record` as read, or, when it took more than `maxRecordBytes` bytes
    /// of the file, an empty record that says so (its refusal shows the url's start).
    func sizeChecked(_ record: Record, size: Int) -> Record {
        guard size > maxRecordBytes else { return record }
        let start = String(record.url.unicodeScalars.prefix(80).map(Character.init))
        var refused = Record(index: record.index, url: "", description: "", line: record.line)
        refused.refusal = "record \(record.index) (line \(record.line)) is \(size) bytes long, more than the \(maxRecordBytes) bytes allowed "
            + "for one record (url starting \"\(start)\")"
        return refused
    }

    func record(from value: JSONValue, index: Int, line: Int, name: String) throws(RecordsError) -> Record {
        guard case let .object(members) = value else {
            throw .invalidRecord(file: name, line: line, record: index, problem: .notAnObject(kind: value.kindName))
        }
        guard let url = value["url"] else {
            throw .invalidRecord(file: name, line: line, record: index, problem: .noURL)
        }
        guard let urlString = url.stringValue else {
            throw .invalidRecord(file: name, line: line, record: index, problem: .urlType(kind: url.kindName))
        }
        var description = ""
        if let field = value["description"] {
            switch field {
            case let .string(s): description = s
            case .null: description = ""
            default:
                throw .invalidRecord(file: name, line: line, record: index, problem: .descriptionType(kind: field.kindName))
            }
        }
        let extra = members.filter { $0.0 != "url" && $0.0 != "description" }
        return Record(index: index, url: urlString.trimmingWhitespace(), description: description,
                      extra: .object(extra), line: line)
    }
}

extension String {
    /// `trimmingCharacters(in: .whitespaces)`, without Foundation's bridging
    /// in the common case of nothing to trim (every record's URL passes here).
    func trimmingWhitespace() -> String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        let whitespace = CharacterSet.whitespaces
        guard whitespace.contains(first) || whitespace.contains(last) else { return self }
        return trimmingCharacters(in: whitespace)
    }
}
