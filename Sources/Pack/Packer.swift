import Foundation
import Imaging
import Records
import Storage
import Support
#if canImport(Glibc)
import Glibc
#endif

/// How `Packer` works.
public struct PackOptions: Sendable {
    /// Decoding, resizing and normalisation of each image.
    public var preprocessor: ImagePreprocessor
    /// Creates the file the images are written to at a temporary path (the
    /// output's path is the second argument, for the names a layout records).
    public var makeSink: @Sendable (_ temporaryPath: String, _ outputPath: String) throws -> any DatasetSink
    /// Decoding threads; the same input gives the same file whatever this is.
    public var workers: Int
    /// Images in flight at most (decoded, or waiting to be written in order).
    public var batch: Int
    /// Size, aspect and blank filters and duplicate removal.
    public var filters: PackFilters
    /// What was packed (a fetch directory or a folder), recorded in the file's `input` attribute.
    public var inputPath: String?

    /// Options writing through `makeSink`; workers default to the cores.
    public init(preprocessor: ImagePreprocessor, makeSink: @escaping @Sendable (_ temporaryPath: String, _ outputPath: String) throws -> any DatasetSink,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount, batch: Int = 256, filters: PackFilters = PackFilters()) {
        self.preprocessor = preprocessor
        self.filters = filters
        self.makeSink = makeSink
        self.workers = max(1, workers)
        self.batch = max(1, batch)
    }
}

/// A running pack's counts, for progress displays.
public struct PackProgress: Sendable {
    /// Images to pack.
    public var total: Int
    /// Images decided so far.
    public var done: Int
    /// Images written so far.
    public var written: Int
    /// Images left out so far (not counting the input scan's).
    public var skipped: Int
    /// Seconds since the pack started.
    public var elapsed: Double
    /// Images decided per second.
    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
}

/// What a pack did.
public struct PackSummary: Sendable {
    /// Images in the dataset.
    public var written: Int
    /// Each skipped item with its reason, in input order.
    public var skipped: [SkippedImage]
    /// Wall time of the pack.
    public var seconds: Double
    /// The classes written, or why there are none.
    public var labels: LabelVocabulary = .none(reason: "not packed")
    /// Input images by fate: "kept" and each `DropReason`'s.
    public var counts: [String: Int] = [:]
    /// Kept images whose source's shorter side was below the target's (enlarged).
    public var upscaled = 0
    /// The pack manifest written beside the file.
    public var manifestPath = ""
    /// Images written per second.
    public var imagesPerSecond: Double { seconds > 0 ? Double(written) / seconds : 0 }

    /// Skipped counts by class ("truncated", "corrupt", "too many pixels", "unsupported format",
    /// "duplicate", "too small", ...): each skipped image's `kind`.
    public var skippedByReason: [String: Int] {
        var counts: [String: Int] = [:]
        for skip in skipped { counts[skip.kind, default: 0] += 1 }
        return counts
    }
}

/// Decodes, resizes and normalizes images on all cores and writes them, in
/// input order, to an HDF5 file written under a temporary name and renamed
/// at the end: an interrupted run never leaves a file that looks complete.
/// One pack at a time writes an output: `OUT.lock` is taken before the
/// temporary file (`OUT.<pid>.partial`) is created.
public final class Packer {
    /// How it packs.
    public let options: PackOptions

    /// A packer with `options`.
    public init(options: PackOptions) {
        self.options = options
    }

    /// The pack manifest of the dataset at `path`: `path` + ".pack.jsonl".
    public static func manifestPath(for path: String) -> String { path + ".pack.jsonl" }

    /// Packs `items` into `outputPath`, and their fates into its pack manifest.
    public func run(items: [PackItem], preSkipped: [SkippedImage] = [], outputPath: String,
                    report: ((PackProgress) -> Void)? = nil) throws(PackError) -> PackSummary {
        try run(items: PackItems(items), preSkipped: preSkipped, outputPath: outputPath, report: report)
    }

    /// Packs `items` (read one at a time, as the workers come to them) into `outputPath`.
    public func run(items: PackItems, preSkipped: [SkippedImage] = [], outputPath: String,
                    report: ((PackProgress) -> Void)? = nil) throws(PackError) -> PackSummary {
        let started = monotonicSeconds()
        func elapsed() -> Double { monotonicSeconds() - started }
        try Self.checkOutput(outputPath, items: items)
        // One writer per output, before anything is created or truncated:
        // HDF5's create truncates a file before it checks its own lock.
        let lock: OutputLock
        do { lock = try OutputLock.file(outputPath) } catch { throw .storage(error) }
        defer { lock.release() }
        // The workers start decoding now, while this thread sets up the output: on few cores
        // that set-up would otherwise leave the others idle (a few ms of every run).
        let size = options.preprocessor.sampleSize
        let pipeline = makePipeline(items: items)
        pipeline.start()
        defer { pipeline.stop() }
        OutputTarget.removeStalePartials(of: outputPath)
        let temporary = "\(outputPath).\(getpid()).partial"
        let sink: any DatasetSink
        do { sink = try options.makeSink(temporary, outputPath) } catch { throw .output(path: outputPath, cause: error) }
        let manifestTemporary = "\(Self.manifestPath(for: outputPath)).\(getpid()).partial"
        var finished = false
        defer { if !finished { unlink(temporary); unlink(manifestTemporary) } }
        let ledger = try makeLedger(manifestTemporary: manifestTemporary, preSkipped: preSkipped, items: items)
        var skipped = preSkipped
        var progress = PackProgress(total: items.count, done: 0, written: 0, skipped: 0, elapsed: 0)
        var lastReport = 0.0
        try pipeline.run { (start, outcomes, buffer) throws(PackError) in
            let infos = Self.admit(outcomes, from: start, into: buffer, sampleSize: size, ledger: ledger, skipped: &skipped)
            do throws(StorageError) { try ledger.flush() } catch { throw .storage(error) }
            do {
                try sink.append(UnsafeBufferPointer(buffer), infos: infos)
            } catch {
                throw .output(path: outputPath, cause: error)
            }
            progress.done += outcomes.count
            progress.written = sink.count
            progress.skipped = skipped.count - preSkipped.count
            progress.elapsed = elapsed()
            if let report, progress.elapsed - lastReport >= 0.25 || progress.done == items.count {
                lastReport = progress.elapsed
                report(progress)
            }
        }
        guard sink.count > 0 else {
            throw .input(path: outputPath, problem: .nothingDecoded(count: items.count, first: skipped.first))
        }
        let (labels, manifest) = try finish(sink: sink, ledger: ledger, failed: skipped.count, seconds: elapsed(), outputPath: outputPath,
                                            temporary: temporary, manifestTemporary: manifestTemporary)
        finished = true
        return PackSummary(written: sink.count, skipped: skipped, seconds: elapsed(), labels: labels, counts: ledger.counts,
                           upscaled: ledger.upscaled, manifestPath: manifest)
    }

    /// The decoding pipeline over `items`: large targets keep fewer images in flight (the ring's pixels stay near 256 MiB).
    private func makePipeline(items: PackItems) -> PackPipeline {
        let size = options.preprocessor.sampleSize
        let perRound = max(1, (256 << 20) / max(1, size * MemoryLayout<Float>.size))
        let capacity = max(1, min(options.batch, items.count, perRound))
        return PackPipeline(count: items.count, capacity: capacity, sampleSize: size, workers: options.workers,
                            work: decoder(for: items, hashes: PackLedger.needsHashes(for: options.filters.dedup)))
    }

    /// The ledger writing the pack manifest under `manifestTemporary`, with the input scan's drops first.
    private func makeLedger(manifestTemporary: String, preSkipped: [SkippedImage], items: PackItems) throws(PackError) -> PackLedger {
        let ledger: PackLedger
        do {
            ledger = try PackLedger(manifestPath: manifestTemporary, dedup: options.filters.dedup,
                                    targetShorterSide: min(options.preprocessor.width, options.preprocessor.height),
                                    nameOfInput: { items[$0].name })
        } catch {
            throw .storage(error)
        }
        for skip in preSkipped {
            ledger.drop(input: nil, name: skip.name, path: nil, source: nil, reason: skip.reason, detail: skip.message)
        }
        return ledger
    }

    /// Compacts a round's decoded images to the front of `buffer` (in input order), admitting each to the
    /// ledger (which drops duplicates) and noting the failures; returns the kept images' metadata.
    static func admit(_ outcomes: [PackDecoded], from start: Int, into buffer: UnsafeMutableBufferPointer<Float>,
                      sampleSize size: Int, ledger: PackLedger, skipped: inout [SkippedImage]) -> [SampleInfo] {
        var infos: [SampleInfo] = []
        for (i, decoded) in outcomes.enumerated() {
            let input = start + i
            let item = decoded.item
            switch decoded.outcome {
            case let .success(sha, source, hash):
                if let duplicate = ledger.admit(input: input, name: item.name, path: item.displayPath, source: source, sha256: sha, hash: hash) {
                    skipped.append(duplicate)
                    continue
                }
                let k = infos.count
                if k != i {
                    (buffer.baseAddress! + k * size).update(from: buffer.baseAddress! + i * size, count: size)
                }
                infos.append(SampleInfo(description: item.description, url: item.url, sha256: sha, label: item.label))
            case let .failure(reason, detail, source, kind):
                ledger.drop(input: input, name: item.name, path: item.displayPath, source: source, reason: reason, detail: detail)
                skipped.append(SkippedImage(name: item.name, reason: reason, kind: kind ?? reason.rawValue,
                                            message: reason == .decodeError ? detail : "\(reason.rawValue): \(detail)"))
            }
        }
        return infos
    }

    /// Writes the closing attributes, closes the file, and renames the pack manifest and then the dataset into
    /// place (the dataset's rename is what completes the pack). Returns the labels' outcome and the manifest's path.
    private func finish(sink: any DatasetSink, ledger: PackLedger, failed: Int, seconds: Double, outputPath: String,
                        temporary: String, manifestTemporary: String) throws(PackError) -> (LabelVocabulary, String) {
        let labels: LabelVocabulary
        do {
            try sink.setRootText("counts_by_reason", ledger.countsJSON)
            if let input = options.inputPath { try sink.setRootText("input", input) }
            labels = try sink.finish(seconds: seconds, failed: failed)
        } catch {
            throw .output(path: outputPath, cause: error)
        }
        let manifest = Self.manifestPath(for: outputPath)
        do {
            try OutputTarget.checkReplaceable(manifest)
            try OutputTarget.checkReplaceable(outputPath)
        } catch {
            throw .storage(error)
        }
        if rename(manifestTemporary, manifest) != 0 || rename(temporary, outputPath) != 0 {
            throw .rename(path: outputPath, errno: errno)
        }
        return (labels, manifest)
    }

    /// Refuses an output that cannot be written (`OutputTarget`), or that is
    /// one of the images to pack (found by name, then by inode: a stat per
    /// input would cost a million-image pack seconds).
    static func checkOutput(_ outputPath: String, items: PackItems) throws(PackError) {
        do {
            let inputs = items.paths(named: (outputPath as NSString).lastPathComponent)
            try OutputTarget.check(outputPath, option: "--out", inputs: inputs)
            try OutputTarget.checkReplaceable(manifestPath(for: outputPath), option: "--out's pack manifest")
        } catch {
            throw .storage(error)
        }
    }

    /// What a worker does with item `index`: decode it into `slot`, applying
    /// the size, aspect and blank filters (and hashing when asked).
    private func decoder(for items: PackItems, hashes: Bool) -> PackPipeline.Work {
        // PNG alpha composited by the resize, over the pixels it reads, unless
        // the perceptual hash needs the whole image composited anyway.
        let preprocessor = { var p = options.preprocessor; p.decoder.keepsAlpha = !hashes; return p }()
        let filters = options.filters
        return { index, slot in
            let item = items[index]
            return PackDecoded(item: item, outcome: Self.decode(item, into: slot, preprocessor: preprocessor, filters: filters, hashes: hashes))
        }
    }

    /// Decodes one item into `slot`, through the filters.
    private static func decode(_ item: PackItem, into slot: UnsafeMutableBufferPointer<Float>, preprocessor: ImagePreprocessor,
                               filters: PackFilters, hashes: Bool) -> PackOutcome {
        do {
            let data = try item.member.map { member throws in try Self.readMember(member, of: item.path) } ?? Self.readFile(item.path)
            let header = try preprocessor.decoder.header(of: data)
            let source = header.displaySize
            if let refusal = filters.refusal(width: source.width, height: source.height) {
                return .failure(refusal.reason, detail: refusal.detail, source: source)
            }
            // The perceptual hash needs the decoded image; without it, PNG rows stream into the resize.
            let image: DecodedImage?
            if hashes {
                image = try preprocessor.process(data, header: header, into: slot)
            } else {
                try preprocessor.render(data, header: header, into: slot)
                image = nil
            }
            if let minStd = filters.minStd, case let std = PackFilters.standardDeviation(UnsafeBufferPointer(slot)), std < minStd {
                return .failure(.blank, detail: String(format: "pixel standard deviation %.4f < --min-std %g", std, minStd), source: source)
            }
            let hash = image.map(PerceptualHash.dHash)
            return .success(sha256: item.sha256 ?? SHA256.hex(data), source: source, hash: hash)
        } catch let error as ImageError {
            return .failure(.decodeError, detail: error.description, source: nil, kind: error.kind)
        } catch {
            return .failure(.decodeError, detail: "unreadable file: \(error)", source: nil, kind: "unreadable file")
        }
    }

    struct ReadError: Error, CustomStringConvertible { var description: String }

    /// A tar member's bytes, read from its archive (at most 1 GiB).
    static func readMember(_ member: TarMember, of archive: String) throws -> [UInt8] {
        guard member.size <= 1 << 30 else { throw ReadError(description: "member of \(member.size) bytes is too large") }
        guard let bytes = TarArchive.read(member, from: archive) else { throw ReadError(description: "cannot read \(member.name) from \(archive)") }
        return bytes
    }

    /// Reads a whole file with POSIX calls, refusing anything over 1 GiB.
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError(description: String(cString: strerror(errno))) }
        let size = Int(info.st_size)
        guard size <= 1 << 30 else { throw ReadError(description: "file of \(size) bytes is too large") }
        var readBytes = 0
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            while readBytes < size {
                let n = read(fd, buffer.baseAddress! + readBytes, size - readBytes)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failure = n < 0 ? errno : 0; break }
                readBytes += n
            }
            initialized = readBytes
        }
        if failure != 0 { throw ReadError(description: String(cString: strerror(failure))) }
        return bytes
    }
}
