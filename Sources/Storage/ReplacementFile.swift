#if canImport(Glibc)
import Glibc
#endif

/// A file written piece by piece under a temporary name (unique to this
/// process) and renamed over `path` by `commit`: readers see the old file or
/// the whole new one, never a part, however long the new one is. Only a
/// regular file (or nothing) is replaced (`OutputTarget.checkReplaceable`,
/// before and after writing). Dropped without `commit`, it leaves no trace.
public final class ReplacementFile {
    /// The file to replace.
    public let path: String
    private let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private static let bufferSize = 1 << 20

    /// Starts the replacement of `path`.
    public init(path: String) throws(StorageError) {
        try OutputTarget.checkReplaceable(path)
        self.path = path
        temporary = "\(path).\(getpid()).tmp"
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .from(errno: errno, path: temporary, operation: "create") }
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { abandon() }

    /// Adds bytes to the new file (buffered; written a megabyte at a time).
    public func write(_ bytes: some Collection<UInt8>) throws(StorageError) {
        if let whole = bytes as? [UInt8], whole.count >= Self.bufferSize {
            try flush()
            return try FileWriting.writeAll(fd, whole, path: path)
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Writes what is buffered, closes the new file and renames it over `path`.
    public func commit() throws(StorageError) {
        do throws(StorageError) {
            try flush()
            let descriptor = fd
            fd = -1
            if close(descriptor) != 0 { throw .from(errno: errno, path: path, operation: "write") }
            try OutputTarget.checkReplaceable(path)
            if rename(temporary, path) != 0 { throw .from(errno: errno, path: path, operation: "rename into place") }
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Removes the new file, leaving `path` as it was (after a failure, or when nothing changed).
    public func abandon() {
        guard fd >= 0 else { return }
        close(fd)
        fd = -1
        unlink(temporary)
    }

    private func flush() throws(StorageError) {
        guard !buffer.isEmpty else { return }
        try FileWriting.writeAll(fd, buffer, path: path)
        buffer.removeAll(keepingCapacity: true)
    }
}
