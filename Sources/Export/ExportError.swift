import DatasetFile
import Imaging
import Storage

/// Why `export` cannot write its output.
public enum ExportError: Error, CustomStringConvertible, Sendable {
    /// The dataset cannot be read.
    case dataset(DatasetError)
    /// StyleGAN trains on square images whose side is a power of two.
    case notStyleGANSize(path: String, height: Int, width: Int)
    /// `--shard-size` below 1.
    case shardSize(Int)
    /// The output folder exists already.
    case outputExists(path: String)
    /// An image could not be encoded (libpng's account).
    case encode(image: Int, ImageError)
    /// The output could not be written.
    case storage(StorageError)

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .dataset(error): return error.description
        case let .notStyleGANSize(path, height, width):
            return "\(path): StyleGAN's dataset layout needs square images whose side is a power of two (4, 8, ..., 1024); "
                + "the file holds \(height)x\(width): pack it again with --size 32/64/128/256 (and --resize-mode)"
        case let .shardSize(size): return "--shard-size \(size): a shard holds at least 1 sample"
        case let .outputExists(path): return "--out \(path) exists already; remove it or name another folder"
        case let .encode(image, error): return "image \(image) could not be encoded as PNG: \(error)"
        case let .storage(error): return error.description
        }
    }
}

extension ExportError: ClassifiedError {
    /// The dataset, the size and the output's name are the user's; encoding and writing are not.
    public var isUsersFault: Bool {
        switch self {
        case .dataset, .notStyleGANSize, .shardSize, .outputExists: return true
        case .encode: return false
        case let .storage(error): return error.isUsersFault
        }
    }
}
