import Storage
#if canImport(Glibc)
import Glibc
#endif

/// Why a records file cannot be used. Each case names the file and, where
/// it applies, the line and the record.
public enum RecordsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file cannot be read.
    case unreadable(file: String, problem: ReadProblem)
    /// The text is not valid JSON / JSON Lines / CSV at this place.
    case syntax(file: String, line: Int, column: Int, problem: SyntaxProblem)
    /// A record lacks a field or has one of the wrong type.
    case invalidRecord(file: String, line: Int, record: Int, problem: RecordProblem)
    /// The file holds no records at all.
    case empty(file: String)

    /// Why a file (or a fetch directory's manifests) cannot be read.
    public enum ReadProblem: Equatable, Sendable, CustomStringConvertible {
        /// A system call failed with `errno`.
        case system(errno: Int32)
        /// It is not a regular file or a pipe: "a directory", "a socket", ...
        case notAFile(kind: String)
        /// It holds more than `limit` bytes.
        case tooLarge(limit: Int)
        /// A CSV file that is not UTF-8.
        case notUTF8
        /// A fetch directory with both a whole manifest and the parts of a sharded one (`part`).
        case mixedManifests(part: String)
        /// A fetch directory with parts of fetches of different shard counts.
        case mixedShardCounts([Int])
        /// Foundation could not read a manifest (its message).
        case foundation(message: String)

        /// The problem in words.
        public var description: String {
            switch self {
            case let .system(code):
                switch code {
                case ENOENT: return "no such file"
                case EACCES: return "permission denied"
                case EISDIR: return "it is a directory, not a records file"
                default: return String(cString: strerror(code))
                }
            case let .notAFile(kind): return "it is \(kind), not a records file"
            case let .tooLarge(limit): return "more than \(limit) bytes; split the records into smaller files"
            case .notUTF8: return "not UTF-8 text"
            case let .mixedManifests(part):
                return "holds both manifest.jsonl and manifest parts of a sharded fetch (\(part)); keep one fetch per directory"
            case let .mixedShardCounts(counts):
                return "holds manifest parts of fetches with different shard counts (\(counts.map(String.init).joined(separator: ", "))); keep one sharded fetch per directory"
            case let .foundation(message): return message
            }
        }
    }

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .unreadable(file, problem): return "\(file): cannot read records: \(problem)"
        case let .syntax(file, line, column, problem): return "\(file):\(line):\(column): \(problem)"
        case let .invalidRecord(file, line, record, problem): return "\(file):\(line): record \(record): \(problem)"
        case let .empty(file): return "\(file): no records"
        }
    }
}

/// What is wrong with one record (the payload of `RecordsError.invalidRecord`).
public enum RecordProblem: Equatable, Sendable, CustomStringConvertible {
    /// The record is a JSON value of `kind` ("a string"), not an object.
    case notAnObject(kind: String)
    /// It has no `url`.
    case noURL
    /// Its `url` is of `kind`, not a string.
    case urlType(kind: String)
    /// Its `description` is of `kind`, not a string.
    case descriptionType(kind: String)
    /// A CSV row of `fields` fields under a header of `columns`.
    case fieldCount(fields: Int, columns: Int)

    /// The problem in words.
    public var description: String {
        switch self {
        case let .notAnObject(kind): return "is \(kind), expected an object with url and description"
        case .noURL: return "has no url field"
        case let .urlType(kind): return "url is \(kind), expected a string"
        case let .descriptionType(kind): return "description is \(kind), expected a string"
        case let .fieldCount(fields, columns): return "has \(fields) fields, the header has \(columns)"
        }
    }
}

extension RecordsError: ClassifiedError {
    /// A records file that cannot be used is the user's input to fix.
    public var isUsersFault: Bool { true }
}
