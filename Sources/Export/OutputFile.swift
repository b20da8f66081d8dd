import Storage
#if canImport(Glibc)
import Glibc
#endif

/// A new file written front to back through a 1 MiB buffer; `offset` is
/// where the next byte lands. Closed by `close` (which writes what is
/// buffered) or, on failure, by deinit.
final class OutputFile {
    let path: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private(set) var offset = 0

    init(path: String) throws(StorageError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw .from(errno: errno, path: path, operation: "create") }
        buffer.reserveCapacity(1 << 20)
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    func write(_ bytes: some Collection<UInt8>) throws(StorageError) {
        buffer.append(contentsOf: bytes)
        offset += bytes.count
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws(StorageError) {
        guard !buffer.isEmpty else { return }
        try FileWriting.writeAll(fd, buffer, path: path)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws(StorageError) {
        try flush()
        let rc = Glibc.close(fd)
        fd = -1
        if rc != 0 { throw .from(errno: errno, path: path, operation: "close") }
    }
}

/// Little-endian integers appended to a byte array (the zip format's).
extension Array where Element == UInt8 {
    mutating func le16(_ value: Int) { append(UInt8(value & 0xFF)); append(UInt8(value >> 8 & 0xFF)) }
    mutating func le32(_ value: Int) { for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(value >> shift & 0xFF)) } }
    mutating func le64(_ value: Int) { for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(value >> shift & 0xFF)) } }
}
