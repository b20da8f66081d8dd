import Foundation
import Records
import Storage
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Stores finished downloads and appends their manifest lines on one
/// background thread, so the transfer loop never waits on the file system
/// (creating a file costs hundreds of microseconds on some file systems).
/// Operations run in submission order.
final class DiskWriter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "ganprep.fetch.writer")
    private let manifest: FetchManifest
    private let firstFailure = Mutex<String?>(nil)

    init(manifest: FetchManifest) {
        self.manifest = manifest
    }

    /// The first I/O failure, if any; later operations are skipped after one.
    var failure: String? { firstFailure.withLock { $0 } }

    private func fail(_ message: String) {
        firstFailure.withLock { if $0 == nil { $0 = message } }
    }

    /// Writes `body` (or renames the already spilled `temporaryPath`) to
    /// `finalPath` through a temporary name, then appends `entry`.
    func store(body: [UInt8]?, temporaryPath: String, finalPath: String, entry: ManifestEntry) {
        queue.async { [self] in
            guard failure == nil else { return }
            if let body {
                let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard fd >= 0 else { return fail(StorageError.from(errno: errno, path: temporaryPath, operation: "create").description) }
                let problem = body.withUnsafeBytes { Self.writeAll(fd, $0, path: temporaryPath) }
                close(fd)
                if let problem { unlink(temporaryPath); return fail(problem) }
            }
            if rename(temporaryPath, finalPath) != 0 {
                let failure = StorageError.from(errno: errno, path: finalPath, operation: "rename into")
                unlink(temporaryPath)
                return fail(failure.description)
            }
            appendNow(entry)
        }
    }

    /// Appends a manifest line.
    func append(_ entry: ManifestEntry) {
        queue.async { [self] in
            guard failure == nil else { return }
            appendNow(entry)
        }
    }

    /// Removes a spilled temporary file that will not be kept.
    func discard(_ temporaryPath: String) {
        queue.async { _ = unlink(temporaryPath) }
    }

    /// Waits until every submitted operation is done; returns the first failure.
    func drain() -> String? {
        queue.sync {}
        return failure
    }

    private func appendNow(_ entry: ManifestEntry) {
        do { try manifest.append(entry) } catch { fail(error.description) }
    }

    /// Writes all of `bytes` to `fd`; an error message (naming a full disk as such) on failure.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) -> String? {
        do { try FileWriting.writeAll(fd, bytes, path: path) } catch { return error.description }
        return nil
    }
}
