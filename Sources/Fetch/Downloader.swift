import CCurl
import Foundation
import Records
import Storage
import Support
#if canImport(Glibc)
import Glibc
#endif

/// Downloads the images of many records concurrently on libcurl's multi
/// interface: one thread, one event loop, connections reused, a cap per host.
///
/// Every record ends with exactly one manifest entry. Files land in
/// `images/` under a temporary name and are renamed to `<sha256>.<ext>` when
/// complete; the manifest line is appended when the record finishes. A re-run
/// skips finished records, so an interrupted run resumes where it stopped.
public final class Downloader {
    public let records: [Record]
    public let outputDirectory: String
    public let options: FetchOptions

    /// `images/` inside the output directory.
    public var imagesDirectory: String { outputDirectory + "/images" }
    /// `manifest.jsonl` inside the output directory.
    public var manifestPath: String { outputDirectory + "/manifest.jsonl" }
    /// `summary.json` inside the output directory.
    public var summaryPath: String { outputDirectory + "/summary.json" }

    public init(records: [Record], outputDirectory: String, options: FetchOptions = FetchOptions()) {
        self.records = records
        self.outputDirectory = outputDirectory
        self.options = options
    }

    // MARK: - Run state

    private var writer: DiskWriter!
    private var entries: [Int: ManifestEntry] = [:]
    /// sha256 → index of the record that owns the file (the lowest index).
    private var owners: [String: Int] = [:]
    private var queues: [String: HostQueue] = [:]
    private var hostOrder: [String] = []
    private var nextHost = 0
    private var waiting: [FetchJob] = []
    private var activeByHost: [String: Int] = [:]
    private var active: [UnsafeMutableRawPointer: ActiveTransfer] = [:]
    private var progress = FetchProgress(total: 0, done: 0, ok: 0, failed: 0, skipped: 0, bytes: 0, active: 0, elapsed: 0)
    private var start = 0.0

    private static let processID = getpid()

    private static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    // MARK: - Run

    /// Runs until every record this run should process has an entry.
    /// - Parameter report: called about twice a second and once at the end.
    public func run(report: ((FetchProgress) -> Void)? = nil) throws(FetchError) -> FetchSummary {
        start = Self.now()
        // One writer per directory, before anything in it is created or removed.
        let lock: OutputLock
        do { lock = try OutputLock.directory(outputDirectory) } catch { throw .storage(error) }
        defer { lock.release() }
        try prepareDirectories()
        let jobs = try planJobs()
        progress.total = jobs.count
        progress.skipped = records.count - jobs.count
        do { writer = DiskWriter(manifest: try FetchManifest(path: manifestPath)) } catch { throw .storage(error) }

        for job in jobs { enqueue(job) }
        let multi = curl_multi_init()!
        defer { curl_multi_cleanup(multi) }
        gp_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(options.parallel * 2, 16))
        var lastReport = 0.0
        var running: Int32 = 0
        while !queues.isEmpty || !waiting.isEmpty || !active.isEmpty {
            let now = Self.now()
            releaseWaiting(now: now)
            try startTransfers(multi: multi)
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            var finished = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let result = gp_curl_msg_result(message)
                curl_multi_remove_handle(multi, easy)
                if let transfer = active.removeValue(forKey: easy) {
                    activeByHost[transfer.job.host, default: 1] -= 1
                    try finish(transfer, code: result)
                    finished += 1
                }
            }
            if let report, now - lastReport >= 0.5 {
                lastReport = now
                report(snapshot())
            }
            if queues.isEmpty && waiting.isEmpty && active.isEmpty { break }
            if let failure = writer.failure { throw .outputDirectory(path: outputDirectory, reason: failure) }
            // Freed slots are refilled at once, not after the next socket event.
            if finished > 0 && !queues.isEmpty { continue }
            var timeout = 100
            if active.isEmpty, let soonest = waiting.map(\.readyAt).min() {
                timeout = max(1, min(100, Int((soonest - now) * 1000)))
            }
            curl_multi_poll(multi, nil, 0, Int32(timeout), nil)
        }
        report?(snapshot())
        return try finishRun()
    }

    private func snapshot() -> FetchProgress {
        var p = progress
        p.active = active.count
        p.elapsed = Self.now() - start
        return p
    }

    private func prepareDirectories() throws(FetchError) {
        do {
            try FileManager.default.createDirectory(atPath: imagesDirectory, withIntermediateDirectories: true)
        } catch {
            throw .outputDirectory(path: outputDirectory, reason: (error as NSError).localizedDescription)
        }
        // Partial files of an interrupted run are never trusted (the lock says no other run is writing).
        if let names = try? FileManager.default.contentsOfDirectory(atPath: imagesDirectory) {
            for name in names where name.hasPrefix(".partial-") {
                unlink(imagesDirectory + "/" + name)
            }
        }
    }

    /// Files of earlier runs that were missing or did not match their
    /// manifest line (size, SHA-256), so this run downloads them again.
    public private(set) var unverifiedFiles = 0

    /// Keeps the entries of earlier runs whose files verify, and returns the jobs left to do.
    private func planJobs() throws(FetchError) -> [FetchJob] {
        let plan = try ResumePlanner(records: records, outputDirectory: outputDirectory, manifestPath: manifestPath,
                                     onlyFailed: options.onlyFailed).plan()
        entries = plan.kept
        unverifiedFiles = plan.unverified
        for entry in plan.kept.values.sorted(by: { $0.index < $1.index }) where entry.status == .ok {
            if let sha = entry.sha256, owners[sha] == nil { owners[sha] = entry.index }
        }
        return plan.todo.map { FetchJob(record: $0, host: Self.host(of: $0.url) ?? "") }
    }

    private func enqueue(_ job: FetchJob) {
        if queues[job.host] == nil {
            queues[job.host] = HostQueue()
            hostOrder.append(job.host)
        }
        queues[job.host]!.jobs.append(job)
    }

    private func releaseWaiting(now: Double) {
        guard !waiting.isEmpty else { return }
        let ready = waiting.filter { $0.readyAt <= now }
        guard !ready.isEmpty else { return }
        waiting.removeAll { $0.readyAt <= now }
        for job in ready { enqueue(job) }
    }

    /// Starts transfers while slots are free, round-robin over hosts with
    /// queued jobs and spare per-host capacity.
    private func startTransfers(multi: UnsafeMutableRawPointer) throws(FetchError) {
        var idleRounds = 0
        while active.count < options.parallel, !hostOrder.isEmpty, idleRounds < hostOrder.count {
            if nextHost >= hostOrder.count { nextHost = 0 }
            let host = hostOrder[nextHost]
            guard activeByHost[host, default: 0] < options.perHost, queues[host]?.isEmpty == false else {
                nextHost += 1
                idleRounds += 1
                continue
            }
            idleRounds = 0
            // Popped in place: taking the queue out of the dictionary would copy it per job.
            let job = queues[host]!.pop()
            if queues[host]!.isEmpty {
                queues[host] = nil
                hostOrder.remove(at: nextHost)
            } else {
                nextHost += 1
            }
            try launch(job, multi: multi)
        }
    }

    private func launch(_ job: FetchJob, multi: UnsafeMutableRawPointer) throws(FetchError) {
        let url = job.record.url
        // Records that need no network: unusable URLs and other schemes.
        if let refusal = Self.refusal(of: job.record) { return try commit(refusal) }
        job.attempts += 1
        let handle = EasyHandle()
        let state = TransferState(url: url, options: options.transfer)
        let temporary = imagesDirectory + "/.partial-\(Self.processID)-\(job.record.index)-\(job.attempts)"
        let transfer = ActiveTransfer(job: job, handle: handle, state: state, temporaryPath: temporary)
        handle.configureGet(url, options: options.transfer)
        handle.onHeader = { state.header($0) }
        handle.onBody = { [unowned self, unowned transfer] chunk in self.receive(chunk, for: transfer) }
        active[handle.raw] = transfer
        activeByHost[job.host, default: 0] += 1
        curl_multi_add_handle(multi, handle.raw)
    }

    /// Body bytes: checks robots headers and magic bytes first, then streams
    /// to the temporary file while hashing. Returning false aborts.
    private func receive(_ chunk: UnsafeRawBufferPointer, for transfer: ActiveTransfer) -> Bool {
        let state = transfer.state
        guard state.accept(chunk.count) else { return false }
        progress.bytes += chunk.count
        // Bodies of error responses are counted, not kept.
        guard state.isSuccessStatus else { return true }
        if transfer.format == nil {
            if transfer.head.isEmpty && options.honourRobotsHeaders, let tag = state.headers["x-robots-tag"], Self.optsOut(tag) {
                transfer.abort = .robots(tag)
                return false
            }
            transfer.head.append(contentsOf: chunk.prefix(max(0, ImageFormat.sniffLength - transfer.head.count)))
            guard transfer.head.count >= ImageFormat.sniffLength else {
                transfer.hasher.update(chunk)
                return writeOut(chunk, transfer)
            }
            guard let format = Self.sniff(transfer.head) else {
                transfer.abort = .notImage(Self.describe(transfer.head, contentType: transfer.handle.contentType))
                return false
            }
            transfer.format = format
        }
        transfer.hasher.update(chunk)
        return writeOut(chunk, transfer)
    }

    /// Bodies up to this size stay in memory until the writer thread stores
    /// them; larger ones stream to a temporary file as they arrive.
    static let spoolLimit = 1 << 20

    private func writeOut(_ chunk: UnsafeRawBufferPointer, _ transfer: ActiveTransfer) -> Bool {
        if transfer.fd < 0 {
            if transfer.memory.count + chunk.count <= Self.spoolLimit {
                transfer.memory.append(contentsOf: chunk)
                return true
            }
            transfer.fd = open(transfer.temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            if transfer.fd < 0 {
                transfer.writeFailed = StorageError.from(errno: errno, path: transfer.temporaryPath, operation: "create").description
                return false
            }
            let spooled = transfer.memory
            transfer.memory = []
            if let failure = spooled.withUnsafeBytes({ DiskWriter.writeAll(transfer.fd, $0, path: transfer.temporaryPath) }) {
                transfer.writeFailed = failure
                return false
            }
        }
        if let failure = DiskWriter.writeAll(transfer.fd, chunk, path: transfer.temporaryPath) {
            transfer.writeFailed = failure
            return false
        }
        return true
    }

    // MARK: - Completion

    private func finish(_ transfer: ActiveTransfer, code: CURLcode) throws(FetchError) {
        if transfer.fd >= 0 { close(transfer.fd) }
        let job = transfer.job
        let record = job.record
        let handle = transfer.handle
        let httpCode = handle.responseCode
        var entry = ManifestEntry(
            index: record.index, url: record.url, finalURL: handle.effectiveURL, description: record.description,
            status: .ok, httpCode: httpCode == 0 ? nil : httpCode, bytes: transfer.state.received,
            contentType: handle.contentType, attempts: job.attempts, extra: record.extra)

        let spilled = transfer.fd >= 0
        if let failure = transfer.writeFailed {
            unlink(transfer.temporaryPath)
            throw .outputDirectory(path: outputDirectory, reason: failure)
        }
        switch transfer.abort {
        case let .robots(tag)?:
            entry.status = .robotsOptOut
            entry.error = "X-Robots-Tag: \(tag)"
        case let .notImage(message)?:
            entry.status = .notImage
            entry.error = message
        case nil:
            if let error = transfer.state.error(for: code, handle: handle) {
                entry.status = Self.status(of: error)
                entry.error = error.description
            } else if transfer.format == nil {
                // The whole body was shorter than the sniffing window.
                if let format = Self.sniff(transfer.head) {
                    transfer.format = format
                } else {
                    entry.status = .notImage
                    entry.error = Self.describe(transfer.head, contentType: handle.contentType)
                }
            }
        }

        if entry.status != .ok {
            if spilled { writer.discard(transfer.temporaryPath) }
            if entry.status.isTransient(httpCode: entry.httpCode) && job.attempts <= options.retries {
                job.readyAt = Self.now() + retryDelay(attempt: job.attempts, retryAfter: transfer.state.headers["retry-after"])
                waiting.append(job)
                return
            }
            return try commit(entry)
        }

        let sha = transfer.hasher.finalizeHex()
        let file = "images/\(sha).\(transfer.format ?? "bin")"
        entry.sha256 = sha
        entry.file = file
        let finalPath = outputDirectory + "/" + file
        if let owner = owners[sha], owner != record.index {
            if spilled { writer.discard(transfer.temporaryPath) }
            if owner < record.index {
                entry.status = .duplicate
                entry.error = "same bytes as record \(owner)"
                return try self.commit(entry)
            }
            // A later record got these bytes first: the lower index owns the file.
            owners[sha] = record.index
            if var other = entries[owner] {
                other.status = .duplicate
                other.error = "same bytes as record \(record.index)"
                try self.commit(other, counts: false)
            }
            return try self.commit(entry)
        }
        owners[sha] = record.index
        entries[entry.index] = entry
        countFinished(entry)
        // The writer stores the file, then appends the line: a manifest line
        // never names a file that is not complete on disk.
        writer.store(body: spilled ? nil : transfer.memory, temporaryPath: transfer.temporaryPath,
                     finalPath: finalPath, entry: entry)
    }

    /// Records an entry without a file of its own to store, and counts it.
    private func commit(_ entry: ManifestEntry, counts: Bool = true) throws(FetchError) {
        entries[entry.index] = entry
        writer.append(entry)
        if counts { countFinished(entry) }
    }

    private func countFinished(_ entry: ManifestEntry) {
        progress.done += 1
        if entry.status.hasFile { progress.ok += 1 } else { progress.failed += 1 }
    }

    private func finishRun() throws(FetchError) -> FetchSummary {
        if let failure = writer.drain() { throw .outputDirectory(path: outputDirectory, reason: failure) }
        // One line per record, in index order: the same file whatever the
        // completion order or the number of interruptions.
        do { try FetchManifest.rewrite(path: manifestPath, entries: Array(entries.values)) } catch { throw .storage(error) }
        var counts: [FetchStatus: Int] = [:]
        for entry in entries.values { counts[entry.status, default: 0] += 1 }
        let seconds = Self.now() - start
        let summary = FetchSummary(
            records: records.count, processed: progress.done, skipped: progress.skipped, unverified: unverifiedFiles, counts: counts,
            bytes: progress.bytes, seconds: seconds, imagesPerSecond: seconds > 0 ? Double(progress.ok) / seconds : 0)
        do { try FileWriting.replace(summaryPath, withText: summary.json.serialized + "\n") } catch { throw .storage(error) }
        return summary
    }
}
