#if canImport(Glibc)
import Glibc
#endif

/// Opens a records file, or standard input, with POSIX calls: refuses
/// directories and devices by name, and a regular file longer than `limit`
/// bytes (`RecordWindow` stops a pipe past it, so that
/// `ganprep fetch - < /dev/zero` cannot grow without bound).
struct BoundedFileReader {
    /// The most bytes read.
    let limit: Int

    /// Opens the file (a duplicate of standard input for "-") after checking
    /// what it is: the caller closes the descriptor it gets.
    func open(path: String, name: String) throws(RecordsError) -> Int32 {
        let fd = path == "-" ? dup(0) : Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(file: name, problem: .system(errno: errno)) }
        do throws(RecordsError) { try check(fd: fd, name: name) } catch {
            close(fd)
            throw error
        }
        return fd
    }

    private func check(fd: Int32, name: String) throws(RecordsError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(file: name, problem: .system(errno: errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw .unreadable(file: name, problem: .notAFile(kind: "a directory"))
        case S_IFCHR where isatty(fd) == 0: throw .unreadable(file: name, problem: .notAFile(kind: "a character device"))
        case S_IFBLK: throw .unreadable(file: name, problem: .notAFile(kind: "a block device"))
        case S_IFSOCK: throw .unreadable(file: name, problem: .notAFile(kind: "a socket"))
        default: break
        }
        if (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > limit { throw tooLarge(name) }
    }

    private func tooLarge(_ name: String) -> RecordsError {
        .unreadable(file: name, problem: .tooLarge(limit: limit))
    }
}
