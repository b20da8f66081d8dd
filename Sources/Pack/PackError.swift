import Foundation
import Storage
import Records

/// Why pack cannot run at all (single bad images are skipped, not errors).
public enum PackError: Error, CustomStringConvertible, Sendable {
    /// The input path is missing, unreadable or holds no images: `problem` says which.
    case input(path: String, problem: PackInputProblem)
    /// The dataset writer failed on the output (its own typed error, from DatasetFile).
    case output(path: String, cause: any Error)
    /// The finished output could not be renamed into place (`errno`).
    case rename(path: String, errno: Int32)
    /// Another pack holds the output, or the disk is full.
    case storage(StorageError)

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .input(path, problem): return "\(path): \(problem)"
        case let .output(path, cause): return "cannot write \(path): \(cause)"
        case let .rename(path, code): return "cannot write \(path): \(String(cString: strerror(code)))"
        case let .storage(error): return error.description
        }
    }
}

/// What is wrong with pack's input (the payload of `PackError.input`).
public enum PackInputProblem: Sendable, CustomStringConvertible {
    /// Nothing exists at the path.
    case missing
    /// The path is a file, not a folder.
    case notAFolder
    /// The folder cannot be listed (`errno`).
    case unlistable(errno: Int32)
    /// The fetch output's manifests cannot be read.
    case manifest(RecordsError)
    /// `--labels field:NAME` on a plain folder, whose images have no record fields.
    case fieldNeedsFetchOutput(field: String)
    /// No images in the input, or in this process's shard.
    case noImages(shard: Shard)
    /// Not one of `count` images could be decoded; the first skipped one, if any.
    case nothingDecoded(count: Int, first: SkippedImage?)
    /// A pack manifest that cannot be read (the system's message).
    case packManifestUnreadable(reason: String)
    /// A pack manifest line (1-based) that is not an entry.
    case packManifestLine(Int)
    /// A pack manifest line (1-based) with a drop reason pack does not know.
    case unknownDropReason(line: Int, reason: String)

    /// The problem in words, after the input's path.
    public var description: String {
        switch self {
        case .missing: return "no such file or directory"
        case .notAFolder: return "expected a fetch output directory or a folder of images"
        case let .unlistable(code): return "cannot list the folder: \(String(cString: strerror(code)))"
        case let .manifest(error): return error.description
        case let .fieldNeedsFetchOutput(name):
            return "--labels field:\(name) needs a fetch output directory (a plain folder's images have no record fields)"
        case let .noImages(shard): return shard.isWhole ? "no images to pack" : "no images to pack in shard \(shard)"
        case let .nothingDecoded(count, first):
            return "none of the \(count) images could be decoded (first: \(first.map { "\($0.name): \($0.message)" } ?? "-"))"
        case let .packManifestUnreadable(reason): return "cannot read the pack manifest: \(reason)"
        case let .packManifestLine(line): return "line \(line) is not a pack manifest entry"
        case let .unknownDropReason(line, reason): return "line \(line): unknown reason \"\(reason)\""
        }
    }
}

extension PackError: ClassifiedError {
    /// The input and the output's path or lock are the user's; a failed write is not.
    public var isUsersFault: Bool {
        switch self {
        case .input: return true
        case .output, .rename: return false
        case let .storage(error): return error.isUsersFault
        }
    }
}
