#if canImport(Glibc)
import Glibc
#endif

/// A file that grows by whole records (lines): each append is one write,
/// and an append that fails part-way (a full disk) is cut back, so the file
/// only ever holds whole records. One writer at a time (see `OutputLock`).
public final class AppendFile {
    /// The file appended to.
    public let path: String
    private var fd: Int32

    /// Opens `path` for appending, creating it if needed.
    public init(path: String) throws(StorageError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        if fd < 0 { throw .from(errno: errno, path: path, operation: "open") }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Appends `bytes` whole, or not at all.
    public func append(_ bytes: [UInt8]) throws(StorageError) {
        let end = lseek(fd, 0, SEEK_END)
        do {
            try FileWriting.writeAll(fd, bytes, path: path)
        } catch {
            if end >= 0 { _ = ftruncate(fd, end) }
            throw error
        }
    }

    /// Appends a line of text (a newline is added).
    public func appendLine(_ line: String) throws(StorageError) {
        try append(Array((line + "\n").utf8))
    }
}
