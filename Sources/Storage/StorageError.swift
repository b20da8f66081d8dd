#if canImport(Glibc)
import Glibc
#endif

/// Why an output could not be written. Each case names the path; a full
/// disk and another writer are told apart from other failures so that the
/// message says what to do.
public enum StorageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Another process holds the output's lock (`pid` from the lock file, when it wrote one).
    case locked(output: String, pid: Int?)
    /// The file system is full (ENOSPC) or the quota is used up (EDQUOT).
    case noSpace(path: String)
    /// An output named by `option` that cannot be written as named: its
    /// directory is missing, it is a directory, a device or a FIFO, or it is
    /// one of the command's inputs. The user's to fix.
    case unusableOutput(path: String, option: String, problem: OutputProblem)
    /// Any other failure of `operation` on `path`; `reason` is the system's text.
    case failed(path: String, operation: String, reason: String)

    /// The error for a failed system call, from `errno`.
    public static func from(errno code: Int32, path: String, operation: String) -> StorageError {
        if code == ENOSPC || code == EDQUOT { return .noSpace(path: path) }
        return .failed(path: path, operation: operation, reason: String(cString: strerror(code)))
    }

    /// Another process holding the output, or an output path that cannot be used, is the user's to fix (exit 2);
    /// a full disk or a failed system call is not (exit 1).
    public var isUsersFault: Bool {
        switch self {
        case .locked, .unusableOutput: return true
        case .noSpace, .failed: return false
        }
    }

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .locked(output, pid):
            let holder = pid.map { "another ganprep process (pid \($0))" } ?? "another ganprep process"
            return "\(output) is being written by \(holder); wait for it to finish, or choose another output"
        case let .noSpace(path):
            return "no space left on device (ENOSPC) while writing \(path); free some space and run the same command again to resume"
        case let .unusableOutput(path, option, problem):
            return "\(option) \(path): \(problem)"
        case let .failed(path, operation, reason):
            return "cannot \(operation) \(path): \(reason)"
        }
    }
}

/// Why a path cannot be an output (the payload of `StorageError.unusableOutput`).
public enum OutputProblem: Equatable, Sendable, CustomStringConvertible {
    /// What a path names when it is not a regular file.
    public enum Kind: String, Equatable, Sendable {
        /// A directory.
        case directory = "a directory"
        /// A symbolic link to a directory, a device, nothing, ...
        case linkToNonFile = "a symbolic link to something other than a regular file"
        /// A character or block device.
        case device = "a device"
        /// A named pipe.
        case fifo = "a FIFO"
        /// A Unix socket.
        case socket = "a socket"
        /// Anything else.
        case other = "not a regular file"
    }

    /// The path is empty.
    case empty
    /// The directory it would be written in does not exist.
    case missingDirectory(String)
    /// What should be its directory is not one.
    case parentNotDirectory(String)
    /// It is also one of the command's inputs (`input` as given, nil when the same text).
    case isInput(input: String?)
    /// It exists and is not a regular file.
    case notRegular(Kind)

    /// The problem in words, after the option and the path.
    public var description: String {
        switch self {
        case .empty: return "is empty"
        case let .missingDirectory(directory): return "its directory \(directory) does not exist"
        case let .parentNotDirectory(directory): return "\(directory) is not a directory"
        case let .isInput(input): return "is also an input\(input.map { " (\($0))" } ?? ""); name another file"
        case let .notRegular(kind): return "is \(kind.rawValue); ganprep writes only regular files"
        }
    }
}
