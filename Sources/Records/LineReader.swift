#if canImport(Glibc)
import Glibc
#endif

/// Reads a file a line at a time, a megabyte of it at a time: each line
/// (without its newline) with the offset where it starts, and whether a
/// newline ended it (the last line of a file may have none).
public struct LineReader {
    /// Calls `body` for every line of the open file `fd`, from its current position.
    public static func forEachLine(fd: Int32, path: String,
                                   _ body: (_ line: ArraySlice<UInt8>, _ offset: Int, _ terminated: Bool) throws -> Void) throws {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var pending: [UInt8] = []  // the start of a line that runs past the chunk
        var fileOffset = 0  // of chunk[0]
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw RecordsError.unreadable(file: path, problem: .system(errno: errno)) }
            if n == 0 { break }
            var start = 0
            while let end = chunk[start..<n].firstIndex(of: 0x0A) {
                if pending.isEmpty {
                    try body(chunk[start..<end], fileOffset + start, true)
                } else {
                    let offset = fileOffset - pending.count
                    pending.append(contentsOf: chunk[start..<end])
                    try body(pending[...], offset, true)
                    pending.removeAll(keepingCapacity: true)
                }
                start = end + 1
            }
            pending.append(contentsOf: chunk[start..<n])
            fileOffset += n
        }
        if !pending.isEmpty { try body(pending[...], fileOffset - pending.count, false) }
    }

    /// `forEachLine` over the file at `path`.
    public static func forEachLine(path: String, _ body: (_ line: ArraySlice<UInt8>, _ offset: Int, _ terminated: Bool) throws -> Void) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RecordsError.unreadable(file: path, problem: .system(errno: errno)) }
        defer { close(fd) }
        try forEachLine(fd: fd, path: path, body)
    }
}
