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
    /// Where the records come from (read again on each pass; this shard's are fetched, by `options.shard`).
    public let source: RecordSource
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
    /// The records of this run's shard (known once `run` has read the records).
    public private(set) var shardRecords = 0
    /// Temporary files of this process's shard start with this (a fetch of
    /// the whole list: `.partial-` and a digit, its pid).
    private var partialPrefix: String { options.shard.isWhole ? ".partial-" : ".partial-\(options.shard.tag)-" }

    /// A fetch of the records `source` reads into `outputDirectory`.
    public init(source: RecordSource, outputDirectory: String, options: FetchOptions = FetchOptions()) {
        self.source = source
        self.outputDirectory = outputDirectory
        self.options = options
        scheduler = HostScheduler(parallel: options.parallel, perHost: options.perHost)
    }

    /// A fetch of `records` (already in memory) into `outputDirectory`.
    public convenience init(records: [Record], outputDirectory: String, options: FetchOptions = FetchOptions()) {
        self.init(source: .records(records), outputDirectory: outputDirectory, options: options)
    }

    // MARK: - Run state

    private var writer: DiskWriter!
    /// The records in the file.
    private var recordCount = 0
    /// The records this run downloads (the plan's), read from `pending` as the queue has room.
    private var todo = BitSet(count: 0)
    private var pending: (any RecordSequence)?
    /// Jobs read from the records and not yet finished.
    private var queued = 0
    /// The lowest index holding each file's bytes (64 bits of its SHA-256).
    private var owners = OwnerTable()
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
        // Every record is checked (and counted) before anything is created.
        recordCount = try ResumePlanner.count(source)
        // One writer per directory (per shard's part of it), before anything in it is created or removed.
        let lock: OutputLock
        do {
            lock = try OutputLock.directory(outputDirectory, lockName: options.shard.isWhole ? nil : ".ganprep.\(options.shard.tag).lock")
        } catch { throw .storage(error) }
        defer { lock.release() }
        try prepareDirectories()
        try planJobs()
        do { writer = DiskWriter(manifest: try FetchManifest(path: manifestPath)) } catch { throw .storage(error) }
        do { pending = try source.open() } catch { throw .records(error) }

        let multi = try MultiHandle(maxConnections: max(options.parallel * 2, 16))
        var lastReport = 0.0
        var starved = false
        while true {
            try feed(starved: starved)
            if scheduler.isDone && pending == nil { break }
            let now = monotonicSeconds()
            scheduler.releaseWaiting(now: now)
            while let job = scheduler.next() { try launch(job, on: multi) }
            starved = scheduler.active < options.parallel
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
            if scheduler.isDone && pending == nil { break }
            if let failure = writer.failure { throw .storage(failure) }
            // Freed slots are refilled at once, not after the next socket event.
            if !finished.isEmpty && (scheduler.hasQueued || pending != nil) { continue }
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

    /// Keeps the entries of earlier runs whose files verify, and marks the records left to do.
    private func planJobs() throws(FetchError) {
        let plan = try ResumePlanner(source: source, records: recordCount, outputDirectory: outputDirectory, manifestPath: manifestPath,
                                     onlyFailed: options.onlyFailed, shard: options.shard).plan()
        shardRecords = plan.shardRecords
        todo = plan.todo
        owners = plan.owners
        unverifiedFiles = plan.unverified
        progress.total = plan.todoCount
        progress.skipped = plan.shardRecords - plan.todoCount
    }

    /// Jobs kept read ahead of the transfers, so every slot has one to take.
    private var queueTarget: Int { max(1024, options.parallel * 32) }
    /// How far ahead the records are read while slots are free but every
    /// host already queued is at its cap (a list sorted by host).
    private var readAheadLimit: Int { queueTarget * 16 }

    /// Reads the records to do into the scheduler's queues: up to
    /// `queueTarget` jobs, or, when `starved` (free slots and nothing
    /// queued that may start), on until a job that can start or `readAheadLimit`.
    private func feed(starved: Bool) throws(FetchError) {
        guard let records = pending else { return }
        let limit = starved ? readAheadLimit : queueTarget
        do {
            while queued < limit {
                guard let record = try records.next() else {
                    pending = nil
                    return
                }
                guard todo.contains(record.index) else { continue }
                let job = FetchJob(planning: record)
                scheduler.enqueue(job)
                queued += 1
                if queued > queueTarget && scheduler.hasRoom(for: job.host) { return }
            }
        } catch {
            throw .records(error)
        }
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
        let key = OwnerTable.key(sha)
        let owner = owners[key]
        owners.claim(key, for: index)
        // Bytes already stored (the file's name is their full SHA-256): nothing to write.
        if let owner, owner != index, access(outputDirectory + "/" + file, F_OK) == 0 {
            if sink.spilled { writer.discard(sink.temporaryPath) }
            if owner < index {
                entry.status = .duplicate
                entry.error = "same bytes as record \(owner)"
            }
            // Otherwise a later record got these bytes first: the lower index owns
            // the file, and the manifest's compaction marks the other a duplicate.
            return try commit(entry)
        }
        countFinished(entry)
        writer.store(body: sink.spilled ? nil : sink.memory, temporaryPath: sink.temporaryPath,
                     finalPath: outputDirectory + "/" + file, entry: entry)
    }

    /// Records an entry without a file of its own to store, and counts it.
    private func commit(_ entry: ManifestEntry) throws(FetchError) {
        writer.append(entry)
        countFinished(entry)
    }

    private func countFinished(_ entry: ManifestEntry) {
        queued -= 1
        progress.done += 1
        if entry.status.hasFile { progress.ok += 1 } else { progress.failed += 1 }
    }

    private func finishRun() throws(FetchError) -> FetchSummary {
        if let failure = writer.drain() { throw .storage(failure) }
        pending = nil
        let counts = try ManifestCompaction(manifestPath: manifestPath, records: recordCount, owners: owners).run()
        let seconds = monotonicSeconds() - start
        var summary = FetchSummary(
            records: shardRecords, processed: progress.done, skipped: progress.skipped, unverified: unverifiedFiles, counts: counts,
            bytes: progress.bytes, seconds: seconds, imagesPerSecond: seconds > 0 ? Double(progress.ok) / seconds : 0)
        summary.recordsFile = options.recordsFile
        do { try FileWriting.replace(summaryPath, withText: summary.json.serialized + "\n") } catch { throw .storage(error) }
        return summary
    }
}
