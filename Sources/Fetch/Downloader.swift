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
/// Every record ends with exactly one manifest entry. A file appears in
/// `images/` as `<sha256>.<ext>` only when complete (see `DiskWriter`); the
/// manifest line is appended after it. A re-run skips finished records, so an
/// interrupted run resumes where it stopped.
public final class Downloader {
    /// The records to fetch (this shard's, by `options.shard`).
    public let records: [Record]
    /// Where images/ and the manifest go.
    public let outputDirectory: String
    /// Parallelism, retries, limits and the shard.
    public let options: FetchOptions

    /// `images/` inside the output directory.
    public var imagesDirectory: String { outputDirectory + "/images" }
    /// `manifest.jsonl` inside the output directory, or this shard's part
    /// (`manifest.part-I-of-N.jsonl`).
    public var manifestPath: String { outputDirectory + "/" + FetchDirectory.manifestName(shard: options.shard) }
    /// `summary.json` inside the output directory (`summary.part-I-of-N.json` for a shard).
    public var summaryPath: String { outputDirectory + "/" + FetchDirectory.summaryName(shard: options.shard) }
    /// The records of this run's shard.
    public var shardRecords: Int { options.shard.isWhole ? records.count : records.indices.filter(options.shard.contains).count }
    /// Temporary files of this process's shard start with this (a fetch of
    /// the whole list: `.partial-` and a digit, its pid).
    private var partialPrefix: String { options.shard.isWhole ? ".partial-" : ".partial-\(options.shard.tag)-" }

    /// A fetch of `records` into `outputDirectory`.
    public init(records: [Record], outputDirectory: String, options: FetchOptions = FetchOptions()) {
        self.records = records
        self.outputDirectory = outputDirectory
        self.options = options
        scheduler = HostScheduler(parallel: options.parallel, perHost: options.perHost)
    }

    // MARK: - Run state

    private var writer: DiskWriter!
    private var entries: [Int: ManifestEntry] = [:]
    /// sha256 → index of the record that owns the file (the lowest index).
    private var owners: [String: Int] = [:]
    /// A stored property, not a lazy one: a lazy struct is copied whole on every mutation.
    private var scheduler: HostScheduler
    private var active: [UnsafeMutableRawPointer: ActiveTransfer] = [:]
    /// Handles of finished transfers, configured and ready for the next one.
    private var idleHandles: [EasyHandle] = []
    /// `images/<partial prefix><pid>-`: the start of every temporary file name of this process.
    private lazy var temporaryPrefix = imagesDirectory + "/\(partialPrefix)\(Self.processID)-"
    private var progress = FetchProgress(total: 0, done: 0, ok: 0, failed: 0, skipped: 0, bytes: 0, active: 0, elapsed: 0)
    private var start = 0.0

    private static let processID = getpid()

    // MARK: - Run

    /// Runs until every record this run should process has an entry.
    /// - Parameter report: called about twice a second and once at the end.
    public func run(report: ((FetchProgress) -> Void)? = nil) throws(FetchError) -> FetchSummary {
        if let failure = CurlRuntime.loadFailure { throw .libraryUnavailable(message: failure) }
        // The options fetch's safety rests on are checked on a first handle before anything is created.
        idleHandles.append(try makeHandle())
        start = monotonicSeconds()
        // One writer per directory (per shard's part of it), before anything in it is created or removed.
        let lock: OutputLock
        do {
            lock = try OutputLock.directory(outputDirectory, lockName: options.shard.isWhole ? nil : ".ganprep.\(options.shard.tag).lock")
        } catch { throw .storage(error) }
        defer { lock.release() }
        try prepareDirectories()
        let jobs = try planJobs()
        progress.total = jobs.count
        progress.skipped = shardRecords - jobs.count
        do { writer = DiskWriter(manifest: try FetchManifest(path: manifestPath)) } catch { throw .storage(error) }

        for job in jobs { scheduler.enqueue(job) }
        let multi = try MultiHandle(maxConnections: max(options.parallel * 2, 16))
        var lastReport = 0.0
        while !scheduler.isDone {
            let now = monotonicSeconds()
            scheduler.releaseWaiting(now: now)
            while let job = scheduler.next() { try launch(job, on: multi) }
            let finished = multi.perform()
            for (handle, result) in finished {
                guard let transfer = active.removeValue(forKey: handle) else { continue }
                scheduler.finished(transfer.job)
                try finish(transfer, code: result)
                idleHandles.append(transfer.handle)
            }
            if let report, now - lastReport >= 0.5 {
                lastReport = now
                report(snapshot())
            }
            writer.submit()
            if scheduler.isDone { break }
            if let failure = writer.failure { throw .storage(failure) }
            // Freed slots are refilled at once, not after the next socket event.
            if !finished.isEmpty && scheduler.hasQueued { continue }
            multi.poll(milliseconds: scheduler.pollTimeout(now: now))
        }
        report?(snapshot())
        return try finishRun()
    }

    private func snapshot() -> FetchProgress {
        var p = progress
        p.active = active.count
        p.elapsed = monotonicSeconds() - start
        return p
    }

    private func prepareDirectories() throws(FetchError) {
        do {
            try FileManager.default.createDirectory(atPath: imagesDirectory, withIntermediateDirectories: true)
        } catch {
            throw .outputDirectory(path: outputDirectory, cause: error)
        }
        // Partial files of an interrupted run are never trusted (the lock says no other run is writing).
        if let names = try? FileManager.default.contentsOfDirectory(atPath: imagesDirectory) {
            // Only this shard's: other shards may be writing theirs in the same directory.
            for name in names where name.hasPrefix(partialPrefix) {
                if options.shard.isWhole, !(name.dropFirst(partialPrefix.count).first?.isNumber ?? false) { continue }
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
                                     onlyFailed: options.onlyFailed, shard: options.shard).plan()
        entries = plan.kept
        entries.reserveCapacity(plan.kept.count + plan.todo.count)
        owners.reserveCapacity(plan.kept.count + plan.todo.count)
        unverifiedFiles = plan.unverified
        for entry in plan.kept.values.sorted(by: { $0.index < $1.index }) where entry.status == .ok {
            if let sha = entry.sha256, owners[sha] == nil { owners[sha] = entry.index }
        }
        return plan.todo.map(FetchJob.init(planning:))
    }

    private func launch(_ job: FetchJob, on multi: MultiHandle) throws(FetchError) {
        // Records that need no network: unusable URLs and other schemes.
        if let refusal = job.refusal { return try commit(refusal) }
        job.attempts += 1
        let handle: EasyHandle
        if let idle = idleHandles.popLast() { handle = idle } else { handle = try makeHandle() }
        let state = TransferState(url: job.record.url, options: options.transfer)
        let sink = ResponseSink(temporaryPath: "\(temporaryPrefix)\(job.record.index)-\(job.attempts)",
                                honourRobotsHeaders: options.honourRobotsHeaders)
        try handle.prepare(url: job.record.url)
        handle.onHeader = { state.header($0) }
        handle.onBody = { [unowned self, unowned handle] chunk in
            guard state.accept(chunk.count) else { return false }
            progress.bytes += chunk.count
            // Bodies of error responses are counted, not kept.
            guard state.isSuccessStatus else { return true }
            return sink.receive(chunk, headers: state.headers, contentType: handle.contentType)
        }
        active[handle.raw] = ActiveTransfer(job: job, handle: handle, state: state, sink: sink)
        scheduler.started(job)
        multi.add(handle)
    }

    /// Replaces libcurl's answer for options in the handles this run makes (tests force a refused option).
    var curlOptionOverride: CurlOptionOverride?

    /// A handle set up for this run's transfers.
    private func makeHandle() throws(FetchError) -> EasyHandle {
        let handle = try EasyHandle(override: curlOptionOverride)
        try handle.configure(options: options.transfer)
        return handle
    }

    // MARK: - Completion

    /// A transfer is done: classify it, then retry it, record its failure,
    /// or commit its file.
    private func finish(_ transfer: ActiveTransfer, code: CURLcode) throws(FetchError) {
        let sink = transfer.sink
        sink.closeSpool()
        if let failure = sink.writeFailed {
            unlink(sink.temporaryPath)
            throw .storage(failure)
        }
        let entry = classify(transfer, code: code)
        guard entry.status == .ok else {
            if sink.spilled { writer.discard(sink.temporaryPath) }
            let job = transfer.job
            if entry.status.isTransient(httpCode: entry.httpCode) && job.attempts <= options.retries {
                let delay = ResponseRules.retryDelay(attempt: job.attempts, retryAfter: transfer.state.headers["retry-after"], options: options)
                return scheduler.retry(job, at: monotonicSeconds() + delay)
            }
            return try commit(entry)
        }
        try commitDownload(entry, from: sink)
    }

    /// The manifest entry a finished transfer earns: ok, or the class of its failure.
    private func classify(_ transfer: ActiveTransfer, code: CURLcode) -> ManifestEntry {
        let record = transfer.job.record
        let handle = transfer.handle
        let httpCode = handle.responseCode
        var entry = ManifestEntry(
            index: record.index, url: record.url, finalURL: handle.effectiveURL, description: record.description,
            status: .ok, httpCode: httpCode == 0 ? nil : httpCode, bytes: transfer.state.received,
            contentType: handle.contentType, attempts: transfer.job.attempts, extra: record.extra)
        switch transfer.sink.abort {
        case let .robots(tag)?:
            entry.status = .robotsOptOut
            entry.error = "X-Robots-Tag: \(tag)"
        case let .notImage(message)?:
            entry.status = .notImage
            entry.error = message
        case nil:
            if let error = transfer.state.error(for: code, handle: handle) {
                entry.status = ResponseRules.status(of: error)
                entry.error = error.description
            } else if let notImage = transfer.sink.sniffShortBody(contentType: handle.contentType) {
                entry.status = .notImage
                entry.error = notImage
            }
        }
        return entry
    }

    /// Commits a downloaded image: a duplicate of an earlier record's bytes
    /// points at that record; otherwise the writer stores the file, then
    /// appends the line, so a manifest line never names a file that is not
    /// complete on disk.
    private func commitDownload(_ downloaded: ManifestEntry, from sink: ResponseSink) throws(FetchError) {
        var entry = downloaded
        let index = entry.index
        let sha = sink.hasher.finalizeHex()
        let file = "images/\(sha).\(sink.format ?? "bin")"
        entry.sha256 = sha
        entry.file = file
        if let owner = owners[sha], owner != index {
            if sink.spilled { writer.discard(sink.temporaryPath) }
            if owner < index {
                entry.status = .duplicate
                entry.error = "same bytes as record \(owner)"
                return try commit(entry)
            }
            // A later record got these bytes first: the lower index owns the file.
            owners[sha] = index
            if var other = entries[owner] {
                other.status = .duplicate
                other.error = "same bytes as record \(index)"
                try commit(other, counts: false)
            }
            return try commit(entry)
        }
        owners[sha] = index
        entries[index] = entry
        countFinished(entry)
        writer.store(body: sink.spilled ? nil : sink.memory, temporaryPath: sink.temporaryPath,
                     finalPath: outputDirectory + "/" + file, entry: entry)
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
        if let failure = writer.drain() { throw .storage(failure) }
        // A duplicate names the record that owns its bytes in the end (the
        // lowest index), not the one that happened to finish first.
        for (index, entry) in entries where entry.status == .duplicate {
            if let sha = entry.sha256, let owner = owners[sha], owner != index {
                entries[index]?.error = "same bytes as record \(owner)"
            }
        }
        // One line per record, in index order: the same file whatever the
        // completion order or the number of interruptions.
        var counts: [FetchStatus: Int] = [:]
        for entry in entries.values { counts[entry.status, default: 0] += 1 }
        let finished = entries
        entries = [:]
        do { try FetchManifest.rewrite(path: manifestPath, entries: finished) } catch { throw .storage(error) }
        let seconds = monotonicSeconds() - start
        var summary = FetchSummary(
            records: shardRecords, processed: progress.done, skipped: progress.skipped, unverified: unverifiedFiles, counts: counts,
            bytes: progress.bytes, seconds: seconds, imagesPerSecond: seconds > 0 ? Double(progress.ok) / seconds : 0)
        summary.recordsFile = options.recordsFile
        do { try FileWriting.replace(summaryPath, withText: summary.json.serialized + "\n") } catch { throw .storage(error) }
        return summary
    }
}
