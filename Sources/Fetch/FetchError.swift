import Foundation
import Records
import Storage

/// Why a fetch run could not proceed at all (individual download failures
/// are data in the manifest, not errors).
public enum FetchError: Error, Sendable, CustomStringConvertible {
    /// The output directory could not be created (Foundation's error).
    case outputDirectory(path: String, cause: any Error)
    /// The records file cannot be used (malformed text, a bad record, unreadable).
    case records(RecordsError)
    /// The manifest could not be read.
    case manifest(RecordsError)
    /// An output could not be written (a full disk, another fetch holding the directory, ...).
    case storage(StorageError)
    /// libcurl could not be loaded: the loader's message (dlerror's).
    case libraryUnavailable(message: String)
    /// A libcurl constructor (`function`) returned NULL: out of memory.
    case libraryInit(function: String)
    /// libcurl refused an option that fetch relies on (`name` as in curl.h, libcurl's `code` and message):
    /// nothing is fetched without it.
    case curlOption(name: String, code: Int, message: String)

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .outputDirectory(path, cause): return "\(path): \((cause as NSError).localizedDescription)"
        case let .records(error): return error.description
        case let .manifest(error): return error.description
        case let .storage(error): return error.description
        case let .libraryUnavailable(message): return message
        case let .libraryInit(function): return "\(function) returned NULL: out of memory"
        case let .curlOption(name, code, message):
            return "libcurl refused \(name) (error \(code): \(message)); fetch does not run without it (an older or differently built libcurl?)"

        }
    }
}

extension FetchError: ClassifiedError {
    /// A records file that cannot be used and another fetch holding the
    /// directory are the user's to resolve; the rest (the output directory,
    /// the run's own manifest, libcurl) are not.
    public var isUsersFault: Bool {
        switch self {
        case let .storage(error): return error.isUsersFault
        case .records: return true
        default: return false
        }
    }
}
