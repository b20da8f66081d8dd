import HDF5
import Storage

/// Why `merge` cannot join its parts, naming the part (or the output) and
/// what is wrong with it.
public enum MergeError: Error, CustomStringConvertible, Sendable {
    /// A property two parts must share, and each one's value.
    public enum Property: String, Sendable {
        /// Height x width x channels.
        case imageSize = "holds images of size"
        /// The layout's `format_version`.
        case layoutVersion = "has layout version"
        /// The `channel_order` attribute.
        case channelOrder = "has channel order"
        /// Whether the part has labels at all.
        case labels = "has"
        /// The `label_source` attribute.
        case labelSource = "has labels from"
    }

    /// No parts were named.
    case noParts(output: String)
    /// A part is the merge's own output.
    case partIsOutput(String)
    /// A part is named twice.
    case givenTwice(String)
    /// A part that cannot be read as a dataset.
    case unreadablePart(String, DatasetError)
    /// A part in the GAPCV layout (merge joins ganprep's own).
    case gapcvPart(String)
    /// A part that is itself a merged file.
    case mergedPart(String)
    /// Two parts that disagree on `property`: this part's value, the first part's path and value.
    case mismatch(part: String, property: Property, value: String, first: String, firstValue: String)
    /// libhdf5 failed writing the output.
    case output(path: String, HDF5Error)
    /// The output cannot be used (its lock, its kind, a full disk).
    case storage(StorageError)

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .noParts(output): return "\(output): no parts to merge"
        case let .partIsOutput(path): return "\(path): is the merge's own output; name another --out"
        case let .givenTwice(path): return "\(path): is given twice"
        case let .unreadablePart(path, error): return "\(path): \(error)"
        case let .gapcvPart(path): return "\(path): is a GAPCV-layout file; merge joins files that ganprep pack wrote in its own layout"
        case let .mergedPart(path): return "\(path): is itself a merged (virtual) file; merge its parts instead"
        case let .mismatch(part, property, value, first, firstValue):
            return "\(part): \(property.rawValue) \(value), but \(first) has \(firstValue): parts of one dataset must agree"
        case let .output(path, error): return "cannot write \(path): \(error)"
        case let .storage(error): return error.description
        }
    }
}

extension MergeError: ClassifiedError {
    /// The parts and the output's path are the user's; a failed write is not.
    public var isUsersFault: Bool {
        switch self {
        case .output: return false
        case let .storage(error): return error.isUsersFault
        default: return true
        }
    }
}
