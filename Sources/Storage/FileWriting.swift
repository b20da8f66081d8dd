#if canImport(Glibc)
import Glibc
#endif

/// Writes that leave whole files and whole lines only, and name the path
/// and the cause (a full disk as such) when they fail.
public enum FileWriting {
    /// Writes all of `bytes` to `fd`, retrying short writes and EINTR.
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(StorageError) {
        var offset = 0
        while offset < bytes.count {
            let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw .from(errno: n < 0 ? errno : ENOSPC, path: path, operation: "write") }
            offset += n
        }
    }

    /// `writeAll` for an array.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(StorageError) {
        let failure: StorageError? = bytes.withUnsafeBytes { raw in
            do throws(StorageError) { try writeAll(fd, raw, path: path) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// Replaces `path` with `bytes` through a temporary file (unique to this
    /// process) renamed over it: readers see the old file or the new one,
    /// never a part. On failure the temporary file is removed. Only a
    /// regular file (or nothing) is replaced: a directory, a device or a
    /// FIFO at `path` is refused (`unusableOutput`), before and after writing.
    public static func replace(_ path: String, with bytes: [UInt8]) throws(StorageError) {
        let file = try ReplacementFile(path: path)
        try file.write(bytes)
        try file.commit()
    }

    /// `replace(path, with:)` for text.
    public static func replace(_ path: String, withText text: String) throws(StorageError) {
        try replace(path, with: Array(text.utf8))
    }
}
