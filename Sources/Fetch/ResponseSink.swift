import Storage
import Support
#if canImport(Glibc)
import Glibc
#endif

/// Where one response's body goes: robots headers and magic bytes are
/// checked before anything is kept, then the body is hashed and held in
/// memory, spilling to a temporary file past `spoolLimit`.
final class ResponseSink {
    /// Bodies up to this size stay in memory until the writer thread stores
    /// them; larger ones stream to `temporaryPath` as they arrive.
    static let spoolLimit = 1 << 20

    /// Where the body spills, and the name the writer falls back to where
    /// the file system cannot write a file unnamed.
    let temporaryPath: String
    let honourRobotsHeaders: Bool
    /// The body so far while it is small.
    private(set) var memory: [UInt8] = []
    private var fd: Int32 = -1
    var hasher = SHA256()
    /// The first `ImageFormat.sniffLength` bytes.
    private(set) var head: [UInt8] = []
    /// The file extension of the sniffed format, once known.
    private(set) var format: String?
    /// Why the sink stopped the transfer, if it did.
    private(set) var abort: AbortReason?
    /// The first write failure (a full disk names itself).
    private(set) var writeFailed: StorageError?

    init(temporaryPath: String, honourRobotsHeaders: Bool) {
        self.temporaryPath = temporaryPath
        self.honourRobotsHeaders = honourRobotsHeaders
    }

    /// Whether the body went to `temporaryPath` rather than memory.
    var spilled: Bool { fd >= 0 }

    /// Body bytes of a 2xx response. Returning false aborts the transfer.
    func receive(_ chunk: UnsafeRawBufferPointer, headers: [String: String], contentType: @autoclosure () -> String?) -> Bool {
        if format == nil {
            if head.isEmpty && honourRobotsHeaders, let tag = headers["x-robots-tag"], ResponseRules.optsOut(tag) {
                abort = .robots(tag)
                return false
            }
            head.append(contentsOf: chunk.prefix(max(0, ImageFormat.sniffLength - head.count)))
            guard head.count >= ImageFormat.sniffLength else {
                hasher.update(chunk)
                return writeOut(chunk)
            }
            guard let sniffed = ImageFormat(sniffingHead: head)?.fileExtension else {
                abort = .notImage(ResponseRules.describe(head, contentType: contentType()))
                return false
            }
            format = sniffed
        }
        hasher.update(chunk)
        return writeOut(chunk)
    }

    /// Closes the spool file, if the body spilled to one.
    func closeSpool() {
        if fd >= 0 { close(fd) }
    }

    /// Judges a complete body that was shorter than the sniffing window:
    /// nil when it is an image, else why not.
    func sniffShortBody(contentType: String?) -> String? {
        guard format == nil else { return nil }
        if let sniffed = ImageFormat(sniffingHead: head)?.fileExtension {
            format = sniffed
            return nil
        }
        return ResponseRules.describe(head, contentType: contentType)
    }

    private func writeOut(_ chunk: UnsafeRawBufferPointer) -> Bool {
        if fd < 0 {
            if memory.count + chunk.count <= Self.spoolLimit {
                memory.append(contentsOf: chunk)
                return true
            }
            fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if fd < 0 {
                writeFailed = StorageError.from(errno: errno, path: temporaryPath, operation: "create")
                return false
            }
            let spooled = memory
            memory = []
            if let failure = spooled.withUnsafeBytes({ DiskWriter.writeAll(fd, $0, path: temporaryPath) }) {
                writeFailed = failure
                return false
            }
        }
        if let failure = DiskWriter.writeAll(fd, chunk, path: temporaryPath) {
            writeFailed = failure
            return false
        }
        return true
    }
}

/// Why a transfer was stopped by the downloader itself.
enum AbortReason { case notImage(String), robots(String) }
