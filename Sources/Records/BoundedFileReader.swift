#if canImport(Glibc)
import Glibc
#endif

/// Reads a whole records file, or standard input, with POSIX calls: refuses
/// directories and devices by name, and stops with an error past `limit`
/// bytes, so that `ganprep fetch - < /dev/zero` cannot grow without bound.
struct BoundedFileReader {
    /// The most bytes read.
    let limit: Int

    func read(path: String, name: String) throws(RecordsError) -> [UInt8] {
        let fd = path == "-" ? dup(0) : open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(file: name, problem: .system(errno: errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(file: name, problem: .system(errno: errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: throw .unreadable(file: name, problem: .notAFile(kind: "a directory"))
        case S_IFCHR where isatty(fd) == 0: throw .unreadable(file: name, problem: .notAFile(kind: "a character device"))
        case S_IFBLK: throw .unreadable(file: name, problem: .notAFile(kind: "a block device"))
        case S_IFSOCK: throw .unreadable(file: name, problem: .notAFile(kind: "a socket"))
        default: break
        }
        var bytes: [UInt8] = []
        if (info.st_mode & S_IFMT) == S_IFREG {
            guard Int(info.st_size) <= limit else { throw tooLarge(name) }
            bytes.reserveCapacity(Int(info.st_size))
        }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw .unreadable(file: name, problem: .system(errno: errno)) }
            if n == 0 { break }
            guard bytes.count + n <= limit else { throw tooLarge(name) }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    private func tooLarge(_ name: String) -> RecordsError {
        .unreadable(file: name, problem: .tooLarge(limit: limit))
    }
}
