#if canImport(Glibc)
import Glibc
#endif

/// One writer per output: an exclusive `flock` on a lock file beside the
/// output, taken before anything is created or truncated.
///
/// A second process that asks for the same output is refused at once with
/// the holder's pid (written into the lock file). The kernel drops a flock
/// when its holder dies, so a killed process never leaves a lock that
/// blocks; its stale lock file is simply reused. The lock file is removed
/// on release, while still locked, and a waiter that locked a file removed
/// under it tries again on the new one.
public final class OutputLock {
    /// The output this lock guards (a directory or a file).
    public let output: String
    /// The lock file.
    public let lockPath: String
    private var fd: Int32

    /// Locks a directory output (`DIR/.ganprep.lock`), creating the directory
    /// if needed; `lockName` locks one part of it instead (a shard's files).
    public static func directory(_ path: String, lockName: String? = nil) throws(StorageError) -> OutputLock {
        try Self.makeDirectories(path)
        return try OutputLock(output: lockName == nil ? path : path + " (\(lockName!))", lockPath: path + "/" + (lockName ?? ".ganprep.lock"))
    }

    /// Locks a file output (`FILE.lock` beside it). The file itself is not touched.
    public static func file(_ path: String) throws(StorageError) -> OutputLock {
        try OutputLock(output: path, lockPath: path + ".lock")
    }

    private init(output: String, lockPath: String) throws(StorageError) {
        self.output = output
        self.lockPath = lockPath
        while true {
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .from(errno: errno, path: lockPath, operation: "create the lock file") }
            if flock(fd, LOCK_EX | LOCK_NB) != 0 {
                let code = errno
                let pid = Self.readPid(fd)
                close(fd)
                if code == EWOULDBLOCK { throw .locked(output: output, pid: pid) }
                throw .from(errno: code, path: lockPath, operation: "lock")
            }
            // The holder we waited on may have removed the file after we opened it.
            var held = stat(), named = stat()
            if fstat(fd, &held) == 0, stat(lockPath, &named) == 0, held.st_ino == named.st_ino, held.st_dev == named.st_dev {
                self.fd = fd
                break
            }
            close(fd)
        }
        let text = Array("\(getpid())\n".utf8)
        if ftruncate(fd, 0) != 0 || text.withUnsafeBytes({ pwrite(fd, $0.baseAddress, $0.count, 0) }) != text.count {
            let code = errno
            release()
            throw .from(errno: code, path: lockPath, operation: "write the lock file")
        }
    }

    deinit { release() }

    /// Removes the lock file and drops the lock; safe to call twice.
    public func release() {
        guard fd >= 0 else { return }
        unlink(lockPath)
        close(fd)
        fd = -1
    }

    private static func readPid(_ fd: Int32) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard n > 0 else { return nil }
        return Int(String(decoding: buffer.prefix(n), as: UTF8.self).trimmingCharacters(inSet: "\n "))
    }

    static func makeDirectories(_ path: String) throws(StorageError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .from(errno: errno, path: prefix, operation: "create the directory")
            }
            var info = stat()
            guard stat(prefix, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw .unusableOutput(path: path, option: "output", problem: .parentNotDirectory(prefix))
            }
            prefix += "/"
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(inSet characters: String) -> String {
        var s = Substring(self)
        while let c = s.first, characters.contains(c) { s.removeFirst() }
        while let c = s.last, characters.contains(c) { s.removeLast() }
        return String(s)
    }
}
