#if canImport(Glibc)
import Glibc
#endif

/// A sliding window over a records file (or bytes already in memory): bytes
/// are read in chunks as a parser asks for more, and what it has consumed is
/// dropped, so a records file of any length is read in memory bounded by its
/// largest record, not its size.
final class RecordWindow {
    /// The bytes read and not yet dropped.
    private(set) var bytes: [UInt8] = []
    /// The file offset of `bytes[0]`.
    private(set) var base = 0
    /// Whether the whole input is in `bytes` (or was).
    private(set) var atEnd = false
    private let name: String
    private let limit: Int
    private let chunkSize: Int
    private var fd: Int32 = -1
    /// Bytes in memory that are read from instead of a file, `chunkSize` at a time.
    private var memory: [UInt8] = []
    private var memoryOffset = 0
    private var chunk: [UInt8] = []

    /// A window over the file at `path` ("-" for standard input), refused
    /// when it is a directory or a device, or longer than `limit` bytes.
    init(path: String, name: String, limit: Int, chunkSize: Int = 1 << 20) throws(RecordsError) {
        self.name = name
        self.limit = limit
        self.chunkSize = chunkSize
        fd = try BoundedFileReader(limit: limit).open(path: path, name: name)
        chunk = [UInt8](repeating: 0, count: chunkSize)
    }

    /// A window over `bytes`, handed out `chunkSize` at a time (tests use small chunks).
    init(bytes: [UInt8], name: String, chunkSize: Int = 1 << 20) {
        self.name = name
        self.limit = Int.max
        self.chunkSize = max(1, chunkSize)
        memory = bytes
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Reads the next chunk onto the end of `bytes`; false at the end of the input.
    @discardableResult
    func fill() throws(RecordsError) -> Bool {
        guard !atEnd else { return false }
        if fd < 0 {
            let start = memoryOffset
            let end = min(memory.count, start + chunkSize)
            bytes.append(contentsOf: memory[start..<end])
            memoryOffset = end
            if end == memory.count { atEnd = true; memory = [] }
            return end > start
        }
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw .unreadable(file: name, problem: .system(errno: errno)) }
            if n == 0 {
                atEnd = true
                close(fd)
                fd = -1
                return false
            }
            guard base + bytes.count + n <= limit else { throw .unreadable(file: name, problem: .tooLarge(limit: limit)) }
            bytes.append(contentsOf: chunk[0..<n])
            return true
        }
    }

    /// Drops the first `count` bytes (consumed), once enough have gathered
    /// to make the move worth it; returns how many were dropped.
    func drop(_ count: Int) -> Int {
        guard count >= min(chunkSize, 1 << 16) || count == bytes.count else { return 0 }
        bytes.removeSubrange(0..<count)
        base += count
        return count
    }
}
