import Foundation
import Records
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// Stores finished downloads and appends their manifest lines on one
/// thread of its own, so the transfer loop never waits on the file system
/// (creating a file costs hundreds of microseconds on some file systems).
///
/// The loop queues operations as transfers finish and hands them over in
/// one batch per turn (`submit`), so the two threads meet once per turn,
/// not once per file. The writer runs a batch in order and appends its
/// manifest lines in one write after the batch's files are in place, so a
/// line never names a file that is not complete on disk.
final class DiskWriter {
    /// What the writer does, in submission order.
    enum Operation {
        /// Stores `body` as `finalPath`, whole or not at all (unnamed and
        /// linked in, else through `temporaryPath`; a spilled body is renamed
        /// from `temporaryPath`), then appends `entry`.
        case store(body: [UInt8]?, temporaryPath: String, finalPath: String, entry: ManifestEntry)
        /// Appends a manifest line.
        case append(ManifestEntry)
        /// Removes a spilled temporary file that will not be kept.
        case discard(String)
    }

    private let shared: WriterQueue
    /// Operations queued by the loop thread this turn, not yet handed over.
    private var queued: [Operation] = []

    /// How a stored file gets its final name.
    enum Naming: CaseIterable {
        /// Written unnamed (O_TMPFILE) and linked in by its descriptor
        /// (AT_EMPTY_PATH); where that is refused, through /proc/self/fd;
        /// where that is too, a temporary name renamed.
        case linkByDescriptor
        /// Written unnamed and linked in through /proc/self/fd, else a temporary name.
        case linkThroughProc
        /// Always written under a temporary name, then renamed.
        case temporaryName
    }

    /// - Parameter naming: how in-memory bodies are stored; each way falls
    ///   back to the next where the system refuses it.
    init(manifest: FetchManifest, naming: Naming = .linkByDescriptor) {
        shared = WriterQueue(manifest: manifest, naming: naming)
        let shared = shared
        let thread = Thread { shared.run() }
        thread.name = "ganprep.fetch.writer"
        thread.start()
    }

    deinit { shared.close() }

    /// The first I/O failure, if any; later operations are skipped after one.
    var failure: StorageError? { shared.failure }

    func store(body: [UInt8]?, temporaryPath: String, finalPath: String, entry: ManifestEntry) {
        queued.append(.store(body: body, temporaryPath: temporaryPath, finalPath: finalPath, entry: entry))
    }

    func append(_ entry: ManifestEntry) { queued.append(.append(entry)) }

    func discard(_ temporaryPath: String) { queued.append(.discard(temporaryPath)) }

    /// Hands the operations queued so far to the writer thread.
    func submit() {
        guard !queued.isEmpty else { return }
        shared.push(queued)
        queued.removeAll(keepingCapacity: true)
    }

    /// Submits, then waits until every operation is done; returns the first failure.
    func drain() -> StorageError? {
        submit()
        shared.waitUntilIdle()
        return failure
    }

    /// Writes all of `bytes` to `fd`; the failure (naming a full disk as such), if any.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) -> StorageError? {
        do { try FileWriting.writeAll(fd, bytes, path: path) } catch { return error }
        return nil
    }
}

/// The state both threads share, behind one lock: the batches not yet
/// taken, whether the writer is busy, and the first failure.
private final class WriterQueue: @unchecked Sendable {
    private let manifest: FetchManifest
    private let condition = NSCondition()
    private var pending: [DiskWriter.Operation] = []
    private var busy = false
    private var closed = false
    private var firstFailure: StorageError?

    /// How stores name their files now: a refusal moves it down to the next
    /// way (linking by descriptor costs about 2.5 us less per file than the
    /// path lookup of /proc/self/fd; AT_EMPTY_PATH may need CAP_DAC_READ_SEARCH).
    private var naming: DiskWriter.Naming

    init(manifest: FetchManifest, naming: DiskWriter.Naming) {
        self.manifest = manifest
        self.naming = naming
    }

    var failure: StorageError? {
        condition.lock()
        defer { condition.unlock() }
        return firstFailure
    }

    /// Operations waiting beyond which `push` waits for the writer: a disk
    /// slower than the network holds back the transfers instead of growing
    /// the queue (and the bodies in it) without bound.
    static let maxBacklog = 4096

    func push(_ operations: [DiskWriter.Operation]) {
        condition.lock()
        while pending.count >= Self.maxBacklog { condition.wait() }
        pending.append(contentsOf: operations)
        condition.signal()
        condition.unlock()
    }

    func waitUntilIdle() {
        condition.lock()
        while !pending.isEmpty || busy { condition.wait() }
        condition.unlock()
    }

    /// Ends the thread once what is pending is done.
    func close() {
        condition.lock()
        closed = true
        condition.signal()
        condition.unlock()
    }

    /// The writer thread: takes everything pending at once, runs it, repeats.
    func run() {
        while true {
            condition.lock()
            while pending.isEmpty && !closed { condition.wait() }
            if pending.isEmpty {
                condition.unlock()
                return
            }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            busy = true
            condition.broadcast()  // room for a waiting push
            let failed = firstFailure != nil
            condition.unlock()

            let failure = failed ? nil : perform(batch)

            condition.lock()
            if firstFailure == nil { firstFailure = failure }
            busy = false
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Runs a batch in order; the first failure stops it. Manifest lines go
    /// out in one write after the files they name.
    private func perform(_ batch: [DiskWriter.Operation]) -> StorageError? {
        var lines: [ManifestEntry] = []
        var failure: StorageError?
        for operation in batch {
            switch operation {
            case let .store(body, temporaryPath, finalPath, entry):
                guard failure == nil else {
                    unlink(temporaryPath)
                    continue
                }
                failure = store(body: body, temporaryPath: temporaryPath, finalPath: finalPath)
                if failure == nil { lines.append(entry) }
            case let .append(entry):
                if failure == nil { lines.append(entry) }
            case let .discard(path):
                unlink(path)
            }
        }
        // The lines of the files stored before a failure are still written.
        do { try manifest.append(lines) } catch { return failure ?? error }
        return failure
    }

    private func store(body: [UInt8]?, temporaryPath: String, finalPath: String) -> StorageError? {
        if let body {
            switch storeUnnamed(body, finalPath: finalPath) {
            case .stored: return nil
            case let .failed(message): return message
            case .unsupported: break
            }
            let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { return StorageError.from(errno: errno, path: temporaryPath, operation: "create") }
            let problem = body.withUnsafeBytes { DiskWriter.writeAll(fd, $0, path: temporaryPath) }
            Glibc.close(fd)
            if let problem {
                unlink(temporaryPath)
                return problem
            }
        }
        return rename(from: temporaryPath, to: finalPath)
    }

    private func rename(from temporaryPath: String, to finalPath: String) -> StorageError? {
        if Glibc.rename(temporaryPath, finalPath) != 0 {
            let failure = StorageError.from(errno: errno, path: finalPath, operation: "rename into")
            unlink(temporaryPath)
            return failure
        }
        return nil
    }

    private enum Unnamed { case stored, failed(StorageError), unsupported }

    /// Links the unnamed file `fd` in as `path`: 0, or the errno.
    private func link(_ fd: Int32, as path: String) -> Int32 {
        let done = naming == .linkByDescriptor
            ? linkat(fd, "", AT_FDCWD, path, Self.emptyPath)
            : linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, path, AT_SYMLINK_FOLLOW)
        return done == 0 ? 0 : errno
    }

    /// Linux's AT_EMPTY_PATH, which Glibc's module does not export.
    private static let emptyPath: Int32 = 0x1000

    /// Linux's O_TMPFILE (`__O_TMPFILE | O_DIRECTORY`), which Glibc's module does not export.
    private static let openTemporaryFile: Int32 = 0o20000000 | O_DIRECTORY

    /// Writes `body` to a file with no name yet (O_TMPFILE in the final
    /// directory) and links it in as `finalPath` once complete: a file named
    /// by its hash is never a part, and the create-then-rename pair of
    /// directory updates becomes one. `.unsupported` when the file system or
    /// /proc does not allow it; the caller then takes a temporary name.
    private func storeUnnamed(_ body: [UInt8], finalPath: String) -> Unnamed {
        guard naming != .temporaryName, let slash = finalPath.utf8.lastIndex(of: UInt8(ascii: "/")) else { return .unsupported }
        let fd = open(String(finalPath[..<slash]), Self.openTemporaryFile | O_WRONLY | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let code = errno
            if code == EOPNOTSUPP || code == EISDIR || code == EINVAL { naming = .temporaryName; return .unsupported }
            return .failed(StorageError.from(errno: code, path: finalPath, operation: "create"))
        }
        defer { Glibc.close(fd) }
        if let problem = body.withUnsafeBytes({ DiskWriter.writeAll(fd, $0, path: finalPath) }) { return .failed(problem) }
        var code = link(fd, as: finalPath)
        if code == 0 { return .stored }
        if code == ENOENT && naming == .linkByDescriptor {
            // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH, and says ENOENT without it: /proc from now on.
            naming = .linkThroughProc
            code = link(fd, as: finalPath)
            if code == 0 { return .stored }
        }
        switch code {
        case EEXIST:
            // Another shard stored the same bytes, or an earlier run's file did
            // not verify: replaced whole, through a temporary name.
            let temporary = finalPath + ".\(getpid()).link"
            unlink(temporary)
            let linked = link(fd, as: temporary)
            guard linked == 0 else {
                return .failed(StorageError.from(errno: linked, path: temporary, operation: "create"))
            }
            return rename(from: temporary, to: finalPath).map(Unnamed.failed) ?? .stored
        case ENOENT, EPERM, EACCES, EXDEV:
            // No /proc: the (already written) unnamed file is dropped and the named way taken.
            naming = .temporaryName
            return .unsupported
        default:
            return .failed(StorageError.from(errno: code, path: finalPath, operation: "create"))
        }
    }
}
