import HDF5
import Storage

/// Why a dataset file cannot be written or used.
public enum DatasetError: Error, CustomStringConvertible, Sendable {
    /// libhdf5 failed (the wrapped error names the file and object).
    case hdf5(HDF5Error)
    /// The file is HDF5 but not in a layout ganprep knows; `found` says what it holds.
    case unknownLayout(path: String, found: String)
    /// The file claims a known layout but breaks it: `problem` says how.
    case invalid(path: String, problem: DatasetProblem)

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .hdf5(error): return error.description
        case let .unknownLayout(path, found):
            return "\(path) is not a ganprep or GAPCV dataset: it holds \(found)"
        case let .invalid(path, problem): return "\(path): \(problem)"
        }
    }
}

/// Runs `body`, turning HDF5 errors into `DatasetError.hdf5`.
@inline(__always)
func hdf5<T>(_ body: () throws(HDF5Error) -> T) throws(DatasetError) -> T {
    do { return try body() } catch { throw .hdf5(error) }
}

extension DatasetError: ClassifiedError {
    /// A dataset file ganprep cannot use is the user's input to fix.
    public var isUsersFault: Bool { true }
}
