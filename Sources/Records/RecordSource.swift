/// Records taken one at a time (`RecordStream`, or records already in memory).
public protocol RecordSequence: AnyObject {
    /// The next record, or nil after the last.
    func next() throws(RecordsError) -> Record?
}

extension RecordStream: RecordSequence {}

/// Where a command reads its records from, as often as it needs to: a
/// records file is streamed again on each pass, so that a million records
/// are never all in memory at once.
public struct RecordSource: Sendable {
    private enum Origin: Sendable {
        case file(path: String, format: RecordsFormat?, reader: RecordsReader)
        case bytes([UInt8], name: String, format: RecordsFormat, reader: RecordsReader)
        case records([Record])
    }
    private let origin: Origin

    /// The records of the file at `path`. Standard input ("-") cannot be
    /// read twice: its bytes are read once, up to the reader's limit, and
    /// kept in memory.
    public static func file(_ path: String, format: RecordsFormat? = nil, reader: RecordsReader = RecordsReader()) throws(RecordsError) -> RecordSource {
        guard path == "-" else { return RecordSource(origin: .file(path: path, format: format, reader: reader)) }
        let window = try RecordWindow(path: path, name: "<stdin>", limit: reader.maxTotalBytes)
        while try window.fill() {}
        let bytes = window.bytes
        return RecordSource(origin: .bytes(bytes, name: "<stdin>", format: format ?? RecordsFormat.detect(name: "<stdin>", bytes: bytes), reader: reader))
    }

    /// Records already in memory (their indices are their positions).
    public static func records(_ records: [Record]) -> RecordSource { RecordSource(origin: .records(records)) }

    /// A new pass over the records, from the first.
    public func open() throws(RecordsError) -> any RecordSequence {
        switch origin {
        case let .file(path, format, reader): return try RecordStream(path: path, format: format, reader: reader)
        case let .bytes(bytes, name, format, reader): return try RecordStream(bytes: bytes, name: name, format: format, reader: reader)
        case let .records(records): return RecordArray(records)
        }
    }
}

/// Records in memory as a `RecordSequence`.
final class RecordArray: RecordSequence {
    private let records: [Record]
    private var position = 0
    init(_ records: [Record]) { self.records = records }
    func next() throws(RecordsError) -> Record? {
        guard position < records.count else { return nil }
        defer { position += 1 }
        return records[position]
    }
}
