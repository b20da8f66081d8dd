import CHDF5
import Foundation
import Storage

/// Errors from libhdf5, each naming the file or object and the operation.
public enum HDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or created; `reason` is libhdf5's own (or the loader's).
    case cannotOpen(path: String, reason: String)
    /// The file exists and is not HDF5.
    case notHDF5(path: String)
    /// Nothing readable is at the path.
    case missingOrUnreadable(path: String)
    /// A file closed while `objects` opened from it are still open (a defect of the caller).
    case stillOpen(path: String, objects: Int)
    /// An object (dataset, group, attribute) is not in the file.
    case notFound(path: String, object: String)
    /// An object exists but is not what the caller expected (type, rank, shape): `mismatch` says how.
    case mismatch(path: String, object: String, HDF5Mismatch)
    /// A libhdf5 call failed.
    case operationFailed(path: String, operation: String, reason: String)

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open HDF5 file \(path): \(reason)"
        case .notHDF5, .missingOrUnreadable:
            return "cannot open HDF5 file \(path): \(openFailure ?? "")"
        case let .stillOpen(path, objects):
            return "\(path): close failed: \(objects) objects opened from it are still open"
        case let .notFound(path, object):
            return "\(path): no object \(object)"
        case let .mismatch(path, object, mismatch):
            return "\(path): \(object) is \(mismatch.found), expected \(mismatch.expected)"
        case let .operationFailed(path, operation, reason):
            return "\(path): \(operation) failed: \(reason)"
        }
    }
}

/// How an object differs from what the caller expected.
public enum HDF5Mismatch: Equatable, Sendable {
    /// Elements of `stored` class that cannot be read as `wanted` (a type's name: "float32").
    case elementType(wanted: String, stored: HDF5TypeClass)
    /// A selection of `selection` dimensions on a dataset of `rank`.
    case rank(selection: Int, dataset: Int)
    /// Strings asked of a dataset of another class.
    case notStrings(stored: HDF5TypeClass)
    /// Strings asked of a dataset of more than one dimension.
    case stringDimensions(Int)
    /// An attribute larger than ganprep reads (64 MiB).
    case attributeSize(count: Int, elementSize: Int)
    /// An attribute neither a string nor numbers.
    case attributeType(HDF5TypeClass)
    /// Something other than a group at the name.
    case notGroup
    /// Something other than a dataset at the name.
    case notDataset
    /// A dataset of another shape.
    case shape(expected: [Int], found: [Int])

    /// What the caller expected, in words.
    public var expected: String {
        switch self {
        case let .elementType(wanted, _): return "numbers readable as \(wanted)"
        case let .rank(selection, _): return "rank \(selection) selection"
        case .notStrings: return "strings"
        case .stringDimensions: return "one dimension"
        case .attributeSize: return "at most 64 MiB of values"
        case .attributeType: return "a string or numbers"
        case .notGroup: return "a group"
        case .notDataset: return "a dataset"
        case let .shape(expected, _): return "shape \(expected)"
        }
    }

    /// What the object is, in words.
    public var found: String {
        switch self {
        case let .elementType(_, stored), let .notStrings(stored), let .attributeType(stored): return stored.description
        case let .rank(_, dataset): return "rank \(dataset)"
        case let .stringDimensions(n): return "\(n) dimensions"
        case let .attributeSize(count, size): return "\(count) values of \(size) bytes"
        case .notGroup, .notDataset: return "another kind of object"
        case let .shape(_, found): return "shape \(found)"
        }
    }
}

extension HDF5Error {
    /// Why a file did not open, without its path; nil for the errors of an open file.
    public var openFailure: String? {
        switch self {
        case let .cannotOpen(_, reason): return reason
        case .notHDF5: return "not an HDF5 file"
        case .missingOrUnreadable: return "no such file, or it cannot be read"
        default: return nil
        }
    }

    private var path: String {
        switch self {
        case let .cannotOpen(path, _), let .notHDF5(path), let .missingOrUnreadable(path), let .stillOpen(path, _),
             let .notFound(path, _), let .mismatch(path, _, _), let .operationFailed(path, _, _):
            return path
        }
    }
}

/// libhdf5 itself: loaded when first used, its error stack read into messages.
public enum HDF5Runtime {
    /// Loads libhdf5 (CHDF5 opens it when first used) and silences its
    /// stderr error printing once per process; errors are read from the
    /// error stack and thrown instead. nil, or why libhdf5 could not be loaded.
    static let loadFailure: String? = {
        if let failure = gp_hdf5_load() { return String(cString: failure) }
        // No clean-up at exit: every file ganprep writes is closed before it is renamed, and
        // libhdf5's own (H5_term_library) dereferences NULL on a file whose close failed on a
        // full disk, turning a clean ENOSPC exit into SIGSEGV. Before the library initializes.
        gp_H5dont_atexit()
        gp_H5open()
        gp_H5_silence_errors()
        return nil
    }()

    /// For the calls on objects of an open file: the library is loaded.
    static var initialized: Bool { loadFailure == nil }

    /// Starts loading libhdf5 on a thread of its own, to overlap a command's
    /// own start (the executable calls it before parsing the options of a
    /// command that reads or writes HDF5).
    public static func preload() { gp_hdf5_preload() }

    /// The outermost message on libhdf5's error stack, or "unknown error";
    /// a full disk and another process's file lock, which libhdf5 reports
    /// deep in the stack, are named as such.
    static func lastError() -> String {
        var chain = [CChar](repeating: 0, count: 4096)
        chain.withUnsafeMutableBufferPointer { gp_H5_error_chain($0.baseAddress, 4096) }
        let text = String(decoding: chain.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if text.contains("errno = 28") || text.contains("No space left on device") {
            return "no space left on device (ENOSPC)"
        }
        if text.contains("unable to lock file") {
            return "the file is locked by another process (is it still being written?)"
        }
        guard let first = text.components(separatedBy: "; ").first, !first.isEmpty else { return "unknown error" }
        return first
    }
}

/// Throws `operationFailed` when a libhdf5 call returned a negative status.
@inline(__always)
func check(_ status: herr_t, _ path: String, _ operation: @autoclosure () -> String) throws(HDF5Error) {
    if status < 0 {
        throw .operationFailed(path: path, operation: operation(), reason: HDF5Runtime.lastError())
    }
}

/// Throws `operationFailed` when a libhdf5 call returned an invalid id.
@inline(__always)
func checkID(_ id: hid_t, _ path: String, _ operation: @autoclosure () -> String) throws(HDF5Error) -> hid_t {
    if id < 0 {
        throw .operationFailed(path: path, operation: operation(), reason: HDF5Runtime.lastError())
    }
    return id
}

extension HDF5Error: ClassifiedError {
    /// A file that does not open or lacks what it should is the user's input;
    /// a libhdf5 operation that fails (a write) is not.
    public var isUsersFault: Bool {
        switch self {
        case .operationFailed, .stillOpen: return false
        default: return true
        }
    }
}
