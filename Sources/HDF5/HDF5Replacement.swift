import CHDF5
import Storage
#if canImport(Glibc)
import Glibc
#endif

extension HDF5File {
    /// Writes a new file at `path` so that no reader and no crash ever sees
    /// half of it: `body` fills a file created under `temporary` (a name
    /// beside `path`, on the same file system), which is then closed, so
    /// that libhdf5's last write to it (the superblock's "open for writing"
    /// flag cleared) lands before it has its final name, and only then
    /// renamed onto `path`. On any failure, of `body`, of the close or of
    /// the rename, the temporary file is removed and `path` keeps what it had.
    /// Only a regular file (or nothing) is replaced: a `path` that is a
    /// directory, a device or a FIFO is refused before the rename.
    ///
    /// Everything `body` opens from the file must be released by the time it
    /// returns (the close refuses otherwise): keep datasets and groups local
    /// to `body`, and return none of them.
    public static func replacing<Result>(_ path: String, temporary: String,
                                         _ body: (HDF5File) throws(HDF5Error) -> Result) throws(HDF5Error) -> Result {
        let result: Result
        do {
            let file = try create(temporary)
            result = try body(file)
            try file.close()
        } catch {
            unlink(temporary)
            throw error
        }
        do { try OutputTarget.checkReplaceable(path) } catch {
            unlink(temporary)
            throw .operationFailed(path: path, operation: "replace", reason: error.description)
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .operationFailed(path: path, operation: "rename \(temporary) into place", reason: reason)
        }
        return result
    }
}
