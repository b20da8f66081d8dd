import Foundation
import Storage

/// The output of an export: checked (`OutputTarget`; a folder output must
/// not exist yet), locked against a second export to the same path, written
/// under `temporary`, and renamed onto `out` by `commit`; removed on failure.
final class ExportTarget {
    let out: String
    let temporary: String
    private let lock: OutputLock
    private var committed = false

    init(out: String, dataset: String, isFile: Bool) throws(ExportError) {
        self.out = out
        var info = stat()
        if !isFile, lstat(out, &info) == 0 { throw .outputExists(path: out) }
        do {
            try OutputTarget.check(out, option: "--out", inputs: [dataset])
            lock = try OutputLock.file(out)
        } catch {
            throw .storage(error)
        }
        OutputTarget.removeStalePartials(of: out)
        Self.removeStalePartialFolders(of: out)
        temporary = "\(out).\(getpid()).partial"
        if !isFile {
            guard mkdir(temporary, 0o755) == 0 else {
                lock.release()
                throw .storage(.from(errno: errno, path: temporary, operation: "create the folder"))
            }
        }
    }

    /// Renames the finished output into place (a folder output only if nothing took its name meanwhile).
    func commit() throws(ExportError) {
        var info = stat()
        if lstat(temporary, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, lstat(out, &info) == 0 { throw .outputExists(path: out) }
        do { try OutputTarget.checkReplaceable(out, option: "--out") } catch { throw .storage(error) }
        guard rename(temporary, out) == 0 else { throw .storage(.from(errno: errno, path: out, operation: "rename the export into")) }
        committed = true
    }

    /// Folders a killed export left (`OUT.PID.partial`): the lock says no other export is writing them.
    static func removeStalePartialFolders(of out: String) {
        let directory = (out as NSString).deletingLastPathComponent
        let prefix = (out as NSString).lastPathComponent + "."
        for name in DirectoryListing.names(directory.isEmpty ? "." : directory) ?? [] where name.hasPrefix(prefix) && name.hasSuffix(".partial") {
            try? FileManager.default.removeItem(atPath: (directory.isEmpty ? "" : directory + "/") + name)
        }
    }

    /// Releases the lock, removing the temporary output unless committed.
    func release() {
        if !committed { try? FileManager.default.removeItem(atPath: temporary) }
        lock.release()
    }
}

/// Creates folders inside an export's temporary folder.
enum OutputFolders {
    static func make(_ path: String) throws(StorageError) {
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        if errno == ENOENT {
            try make((path as NSString).deletingLastPathComponent)
            if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        }
        throw .from(errno: errno, path: path, operation: "create the folder")
    }
}
