import Foundation
import Storage
import Records

/// Why pack cannot run at all (single bad images are skipped, not errors).
public enum PackError: Error, CustomStringConvertible, Sendable {
    /// The input path is missing, unreadable or holds no images.
    case input(path: String, reason: String)
    /// The output cannot be written.
    case output(path: String, reason: String)
    /// Another pack holds the output, or the disk is full.
    case storage(StorageError)

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .input(path, reason): return "\(path): \(reason)"
        case let .output(path, reason): return "cannot write \(path): \(reason)"
        case let .storage(error): return error.description
        }
    }
}

extension PackError: ClassifiedError {
    /// The input and the output's path or lock are the user's; a failed write is not.
    public var isUsersFault: Bool {
        switch self {
        case .input: return true
        case .output: return false
        case let .storage(error): return error.isUsersFault
        }
    }
}
