import CHDF5

/// Errors from libhdf5, each naming the file or object and the operation.
public enum HDF5Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or created; `reason` is libhdf5's own.
    case cannotOpen(path: String, reason: String)
    /// An object (dataset, group, attribute) is not in the file.
    case notFound(path: String, object: String)
    /// An object exists but is not what the caller expected (type, rank, shape).
    case mismatch(path: String, object: String, expected: String, found: String)
    /// A libhdf5 call failed.
    case operationFailed(path: String, operation: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            return "cannot open HDF5 file \(path): \(reason)"
        case let .notFound(path, object):
            return "\(path): no object \(object)"
        case let .mismatch(path, object, expected, found):
            return "\(path): \(object) is \(found), expected \(expected)"
        case let .operationFailed(path, operation, reason):
            return "\(path): \(operation) failed: \(reason)"
        }
    }
}

enum HDF5Runtime {
    /// Silences libhdf5's stderr error printing once per process; errors are
    /// read from the error stack and thrown instead.
    static let initialized: Bool = {
        H5open()
        gp_H5_silence_errors()
        return true
    }()

    /// The innermost message on libhdf5's error stack, or "unknown error".
    static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let found = buffer.withUnsafeMutableBufferPointer { gp_H5_last_error($0.baseAddress, 256) }
        guard found != 0 else { return "unknown error" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
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
