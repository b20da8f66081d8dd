import Storage
/// Why a records file cannot be used. Each case names the file and, where
/// it applies, the line and the record.
public enum RecordsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be read.
    case unreadable(file: String, reason: String)
    /// The text is not valid JSON / JSON Lines / CSV at this place.
    case syntax(file: String, line: Int, column: Int, message: String)
    /// A record lacks a field or has one of the wrong type.
    case invalidRecord(file: String, line: Int, record: Int, message: String)
    /// The file holds no records at all.
    case empty(file: String)

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .unreadable(file, reason): return "\(file): cannot read records: \(reason)"
        case let .syntax(file, line, column, message): return "\(file):\(line):\(column): \(message)"
        case let .invalidRecord(file, line, record, message): return "\(file):\(line): record \(record): \(message)"
        case let .empty(file): return "\(file): no records"
        }
    }
}

extension RecordsError: ClassifiedError {
    /// A records file that cannot be used is the user's input to fix.
    public var isUsersFault: Bool { true }
}
