import DatasetFile
import Foundation
import GAN
import HDF5
import Imaging
import LinearAlgebra
import Storage
import Support

/// A training run in a run directory: data source, models, trainer, and
/// everything it writes (losses.csv, losses.png, gan_images/, checkpoints/,
/// config.json).
public final class TrainingRun {
    public let config: TrainingConfig
    public let directory: String
    public let reader: DatasetReader
    public let source: BatchSource
    public let trainer: GANTrainer
    /// Steps done (restored on resume).
    public private(set) var step = 0
    public private(set) var epoch = 0
    public private(set) var batchInEpoch = 0
    /// The step a resumed run continued from, if any.
    public private(set) var resumedFrom: Int?
    private var elapsedBefore = 0.0
    /// One run at a time in a run directory (held by the replica that writes).
    private let lock: OutputLock?
    /// The processes of a data-parallel run, nil for one process.
    public let replicas: ReplicaGroup?
    /// Whether this process writes the run's files: the only process, or replica 0.
    public var writes: Bool { (replicas?.rank ?? 0) == 0 }
    /// Each replica's `GANTrainer.stateDigest()` after the last step (data-parallel runs).
    public private(set) var replicaDigests: [String] = []
    /// Called once after this process's first step (tests compare its gradients).
    public var afterFirstStep: ((GANTrainer) -> Void)?
    private var records: [LossRecord] = []
    private let fixedNoise: Tensor
    /// A conditional run's labels and class distribution; nil for an unconditional run.
    private let conditioning: RunConditioning?
    /// A conditional run's sample grid: a row per class.
    public let classGrid: ClassGrid?
    /// Sample quality during the run, when a classifier was given (and this process writes).
    public let evaluation: (any GeneratorEvaluator)?

    public var checkpointDirectory: String { directory + "/checkpoints" }
    public var imagesDirectory: String { directory + "/gan_images" }
    public var lossesPath: String { directory + "/losses.csv" }
    public var plotPath: String { directory + "/losses.png" }

    /// Steps this run will reach.
    public var totalSteps: Int { config.steps ?? config.epochs * source.batchesPerEpoch }

    /// Opens `options.dataset` and sets up a run of its image shape in `directory`.
    /// - Parameter replicas: the group of a data-parallel run (`options.ranks`
    ///   processes, each training on its share of every global batch); replica 0
    ///   alone writes the run directory.
    /// - Parameter evaluator: makes the evaluator when `options.classifier` is set (required then).
    public init(options: TrainingOptions, directory: String, resume: Bool, replicas: ReplicaGroup? = nil,
                evaluator: GeneratorEvaluatorFactory? = nil) throws(TrainingError) {
        self.directory = directory
        self.replicas = replicas.flatMap { $0.size > 1 ? $0 : nil }
        precondition(options.ranks ?? 1 == self.replicas?.size ?? 1, "options.ranks must be the group's size")
        // Before anything in the directory is created, truncated or removed.
        if (replicas?.rank ?? 0) == 0 {
            do { lock = try OutputLock.directory(directory) } catch { throw .storage(error) }
        } else {
            lock = nil
        }
        do {
            reader = try DatasetReader(path: options.dataset)
        } catch {
            throw .dataset(error.description)
        }
        guard reader.count > 0 else { throw .dataset("\(options.dataset) holds no images") }
        conditioning = options.conditional == true ? try RunConditioning(reader: reader, options: options) : nil
        let config = TrainingConfig(options: options, height: reader.height, width: reader.width, channels: reader.channels,
                                    labelNames: conditioning?.names)
        self.config = config
        if config.model == .dcgan {
            guard reader.height == reader.width, [32, 64, 128].contains(reader.height) else {
                throw .dataset("\(config.dataset): dcgan trains on 32, 64 or 128 pixel square images, the file holds \(reader.height)x\(reader.width); use --model mlp or pack with --size 32/64/128")
            }
        }
        if let (needed, available) = MemoryEstimate.shortfall(config: config) {
            throw .dataset("training \(config.model.rawValue) on \(reader.height)x\(reader.width)x\(reader.channels) images with batch \(config.batch), latent \(config.latent), feature maps \(config.featureMaps) and prefetch \(config.prefetch) needs about \(needed) MiB, more than the \(available) MiB available; lower --batch, --feature-maps, --latent or --prefetch")
        }
        do throws(DatasetError) {
            let global: BatchSource = config.stream
                ? ChunkedBatchStream(reader: reader, batchSize: config.batch, seed: config.seed, prefetch: config.prefetch)
                : try InMemoryBatches(reader: reader, batchSize: config.batch, seed: config.seed)
            if let group = self.replicas {
                guard config.batch >= group.size else {
                    throw DatasetError.invalid(path: config.dataset, reason: "--batch \(config.batch) is the global batch, shared by \(group.size) processes: it must be at least \(group.size)")
                }
                source = ReplicaBatches(global: global, rank: group.rank, replicas: group.size)
            } else {
                source = global
            }
        } catch {
            throw .dataset(error.description)
        }
        BLAS.threads = config.threads
        let models = GANModels(architecture: config.model, height: reader.height, width: reader.width, channels: reader.channels,
                               latentSize: config.latent, featureMaps: config.featureMaps, classes: config.classes, seed: config.seed)
        trainer = GANTrainer(models: models, learningRate: config.learningRate, beta1: config.beta1, realLabel: config.realLabel, seed: config.seed)
        trainer.classDistribution = conditioning?.distribution
        trainer.synchronizesBatchNorm = config.syncBatchNorm ?? false
        trainer.replicas = self.replicas
        if config.classifier != nil, (replicas?.rank ?? 0) == 0 {
            precondition(evaluator != nil, "a run with a classifier needs an evaluator")
            evaluation = try evaluator?(reader, config, directory)
        } else {
            evaluation = nil
        }
        var noise = SeededGenerator(seed: config.seed ^ 0xF1F1_F1F1)
        fixedNoise = Tensor(shape: [25, config.latent])
        noise.fillNormal(fixedNoise)
        if let c = conditioning {
            let columns = Tensor(shape: [ClassGrid.defaultColumns, config.latent])
            columns.data.update(from: fixedNoise.data, count: columns.count)
            classGrid = ClassGrid(classes: c.gridClasses, names: c.names, noise: columns)
        } else {
            classGrid = nil
        }
        do {
            for path in [directory, checkpointDirectory, imagesDirectory] where writes {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            }
        } catch {
            throw .output("cannot create \(directory): \(error.localizedDescription)")
        }
        if resume { try restoreLatestCheckpoint() } else { try startFresh() }
        // Every replica starts from replica 0's weights (and has loaded its checkpoint before this returns).
        trainer.broadcastWeights()
        if let failure = self.replicas?.failure { throw .replicas(failure) }
    }

    private func startFresh() throws(TrainingError) {
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: checkpointDirectory)) ?? []
        if existing.contains(where: { $0.hasSuffix(".h5") }) {
            throw .resume("\(directory) already holds checkpoints: pass --resume to continue that run, or choose another --out")
        }
        records = []
        guard writes else { return }
        try writeText(LossRecord.csvHeader + "\n", to: lossesPath)
        try writeText(config.json + "\n", to: directory + "/config.json")
        unlink(directory + "/history.jsonl")
        try RunHistory.append(event: "start", step: 0, in: directory)
        try evaluation?.start(resumingAt: nil)
    }

    // MARK: - Checkpoints

    /// Checkpoint files, newest first.
    public func checkpoints() -> [String] { Self.checkpoints(inRun: directory) }

    /// The step checkpoints (`checkpoints/step_*.h5`) of the run in `directory`, newest first.
    public static func checkpoints(inRun directory: String) -> [String] {
        let folder = directory + "/checkpoints"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("step_") && $0.hasSuffix(".h5") }.sorted(by: >).map { folder + "/" + $0 }
    }

    /// Writes the step's checkpoint (`name` for another one, such as best.h5).
    private func saveCheckpoint(name given: String? = nil) throws(TrainingError) {
        guard writes else { return }
        let name = given ?? String(format: "step_%09d.h5", step)
        let final = checkpointDirectory + "/" + name
        let temporary = checkpointDirectory + "/." + name + ".\(getpid()).partial"
        let started = monotonicSeconds()
        let attributes: [String: HDF5AttributeValue] = [
            "step": .integers([Int64(step)]),
            "epoch": .integers([Int64(epoch)]),
            "batch_in_epoch": .integers([Int64(batchInEpoch)]),
            "noise_state": .integers(trainer.noise.stateWords.map { Int64(bitPattern: $0) }),
            "generator_iterations": .integers([Int64(trainer.generatorOptimizer.iterations)]),
            "discriminator_iterations": .integers([Int64(trainer.discriminatorOptimizer.iterations)]),
            "elapsed_seconds": .doubles([elapsedBefore + (monotonicSeconds() - runStart)]),
            "config": .string(config.json),
            "format": .string("ganprep-checkpoint"),
        ].merging(config.labelNames.map { ["label_names": .strings($0)] } ?? [:]) { a, _ in a }
        // Renamed only when complete: a crash never leaves a half checkpoint that resume would load.
        try TensorStore.saveReplacing(trainer.checkpointTensors, attributes: attributes, to: final, temporary: temporary, what: "checkpoint")
        if given == nil {
            checkpointPolicy.wrote(started: started, now: monotonicSeconds())
            lastCheckpointStep = step
            for old in checkpoints().dropFirst(max(1, config.keepCheckpoints)) { unlink(old) }
        }
    }

    /// Evaluates the generator (with a classifier); the best FID so far is kept as checkpoints/best.h5.
    private func evaluate() throws(TrainingError) {
        guard let evaluation else { return }
        let isBest = try evaluation.evaluate(step: step, epoch: epoch, generator: trainer.models.generator, latent: config.latent)
        if isBest { try saveCheckpoint(name: "best.h5") }
    }

    private func restoreLatestCheckpoint() throws(TrainingError) {
        // Stray partial files from a killed run are never loaded (the lock says no run is writing one).
        for name in (try? FileManager.default.contentsOfDirectory(atPath: checkpointDirectory)) ?? [] where writes && name.hasSuffix(".partial") {
            unlink(checkpointDirectory + "/" + name)
        }
        var problems: [String] = []
        for path in checkpoints() {
            do {
                // The configuration first: a run of another shape is an error, not a damaged file.
                let read: TrainingConfig?
                do { read = try TrainingConfig.from(checkpoint: path) } catch { problems.append(error.description); continue }
                guard let saved = read else {
                    problems.append("\(path): no run configuration"); continue
                }
                let mismatches = saved.resumeMismatches(config)
                guard mismatches.isEmpty else {
                    throw TrainingError.resume("cannot resume from \(path): this run has " + mismatches.joined(separator: ", "))
                }
                let attributes = try TensorStore.load(trainer.checkpointTensors, from: path)
                step = attributes["step"]?.intValue ?? 0
                epoch = attributes["epoch"]?.intValue ?? 0
                batchInEpoch = attributes["batch_in_epoch"]?.intValue ?? 0
                if case let .integers(words)? = attributes["noise_state"], words.count == 4 {
                    trainer.noise = SeededGenerator(state: words.map { UInt64(bitPattern: $0) })
                }
                trainer.generatorOptimizer.iterations = attributes["generator_iterations"]?.intValue ?? step
                trainer.discriminatorOptimizer.iterations = attributes["discriminator_iterations"]?.intValue ?? step
                elapsedBefore = attributes["elapsed_seconds"]?.doublesValue?.first ?? 0
                resumedFrom = step
                break
            } catch let error as TrainingError {
                throw error
            } catch {
                problems.append("\(path): \(error)")
            }
        }
        guard resumedFrom != nil else {
            throw .resume("nothing to resume in \(checkpointDirectory)" + (problems.isEmpty ? "" : ": " + problems.joined(separator: "; ")))
        }
        guard writes else { return }
        // The log keeps the steps up to the checkpoint; later ones are redone.
        let text = (try? String(contentsOfFile: lossesPath, encoding: .utf8)) ?? ""
        records = text.split(separator: "\n").compactMap(LossRecord.init(csvLine:)).filter { $0.step <= step }
        try writeText(([LossRecord.csvHeader] + records.map(\.csvLine)).joined(separator: "\n") + "\n", to: lossesPath)
        try writeText(config.json + "\n", to: directory + "/config.json")
        try RunHistory.append(event: "resume", step: step, in: directory)
        try evaluation?.start(resumingAt: step)
    }

    // MARK: - Training

    private var runStart = monotonicSeconds()
    /// Sample grids go to their files off the step loop.
    private let gridWriter = ImageWriter()
    /// When step checkpoints are written, and at which step the last one was.
    private var checkpointPolicy = CheckpointPolicy(everySteps: nil, minutes: nil, replicated: false, checkpointBytes: 0, now: 0)
    private var lastCheckpointStep = -1

    /// Trains until `totalSteps`; returns the loss records of the whole run.
    /// The run directory is released when this returns, whatever happened.
    @discardableResult
    public func run(progress: ((TrainingProgress) -> Void)? = nil) throws(TrainingError) -> [LossRecord] {
        defer {
            gridWriter.wait()
            lock?.release()
        }
        runStart = monotonicSeconds()
        checkpointPolicy = CheckpointPolicy(everySteps: config.checkpointEvery, minutes: config.checkpointMinutes, replicated: replicas != nil,
                                            checkpointBytes: trainer.checkpointTensors.reduce(0) { $0 + $1.tensor.count * 4 }, now: runStart)
        lastCheckpointStep = resumedFrom ?? -1
        let shape = [config.batch, reader.height, reader.width, reader.channels]
        let full = Tensor(shape: shape)
        var partial: Tensor?
        var log: AppendFile?
        if writes { do { log = try AppendFile(path: lossesPath) } catch { throw .storage(error) } }
        let perEpoch = source.batchesPerEpoch
        if step < totalSteps {
            do { try source.startEpoch(epoch, skippingBatches: batchInEpoch) } catch { throw .dataset(error.description) }
        }
        var windowStart = monotonicSeconds()
        var windowImages = 0
        // A fresh run's first evaluation is of the untrained generator (step 0).
        if step == 0 && evaluation?.isEmpty == true && totalSteps > 0 { try evaluate() }
        while step < totalSteps {
            let n: Int
            do { n = try source.nextBatch(into: full.data) } catch { throw .dataset(error.description) }
            guard n > 0 else { throw .dataset("\(config.dataset): epoch \(epoch) ended after \(batchInEpoch) of \(perEpoch) batches") }
            if let bad = Self.firstNonFinite(full.data, count: n * source.sampleSize) {
                throw .dataset("\(config.dataset): a value of the batch for step \(step + 1) (epoch \(epoch + 1)) is \(bad); the file holds NaN or infinite pixels (ganprep inspect names how many)")
            }
            var real = full
            if n < config.batch {
                let p = partial?.batch == n ? partial! : Tensor(shape: [n] + shape.dropFirst())
                p.data.update(from: full.data, count: p.count)
                partial = p
                real = p
            }
            let shared = source as? ReplicaBatches
            let result = trainer.step(real: real, labels: conditioning?.labels(of: source.lastIndices),
                                      globalBatch: shared?.lastGlobalCount, offset: shared?.lastOffset ?? 0)
            if let failure = replicas?.failure { throw .replicas(failure) }
            if step == (resumedFrom ?? 0) { afterFirstStep?(trainer) }
            let losses = [result.discriminatorLossReal, result.discriminatorLossFake, result.generatorLoss]
            guard losses.allSatisfy(\.isFinite) else {
                throw .diverged("step \(step + 1): the losses became \(losses.map { "\($0)" }.joined(separator: ", ")) (D real, D fake, G); training stopped without writing that step. Resume from the last checkpoint with a lower --lr, or a smaller --batch")
            }
            step += 1
            batchInEpoch += 1
            windowImages += shared?.lastGlobalCount ?? n
            let record = LossRecord(step: step, epoch: epoch, discriminatorLossReal: result.discriminatorLossReal,
                                    discriminatorLossFake: result.discriminatorLossFake, generatorLoss: result.generatorLoss,
                                    discriminatorAccuracy: result.discriminatorAccuracy,
                                    seconds: elapsedBefore + monotonicSeconds() - runStart)
            records.append(record)
            do { try log?.appendLine(record.csvLine) } catch { throw .storage(error) }
            let epochEnded = batchInEpoch >= perEpoch
            if let every = config.sampleEvery, step % every == 0 { try writeGrid(name: String(format: "step_%06d.png", step)) }
            if epochEnded {
                if config.sampleEvery == nil { try writeGrid(name: String(format: "epoch_%04d.png", epoch + 1)) }
                epoch += 1
                batchInEpoch = 0
            }
            switch checkpointPolicy.decide(step: step, epochEnded: epochEnded, isLast: step == totalSteps, now: monotonicSeconds()) {
            case .together:
                try checkReplicasAgree()
                try saveCheckpoint()
            case .alone: try saveCheckpoint()
            case .skip: break
            }
            if writes, let signal = StopRequest.signal {
                if lastCheckpointStep != step { try saveCheckpoint() }
                try gridWriter.drain()
                try writePlot()
                throw .interrupted(signal: signal, step: step, checkpoint: checkpoints().first ?? "")
            }
            let evaluateNow = config.evalEvery.map { step % $0 == 0 } ?? epochEnded
            if evaluation != nil && (evaluateNow || step == totalSteps) { try evaluate() }
            let now = monotonicSeconds()
            let rate = Double(windowImages) / max(now - windowStart, 1e-9)
            if now - windowStart > 5 { windowStart = now; windowImages = 0 }
            progress?(TrainingProgress(step: step, totalSteps: totalSteps, epoch: epoch, batchInEpoch: batchInEpoch,
                                       batchesPerEpoch: perEpoch, last: result, imagesPerSecond: rate, epochEnded: epochEnded))
            if epochEnded && step < totalSteps {
                do { try source.startEpoch(epoch, skippingBatches: 0) } catch { throw .dataset(error.description) }
            }
        }
        if config.sampleEvery == nil && batchInEpoch > 0 { try writeGrid(name: String(format: "step_%06d.png", step)) }
        try gridWriter.drain()
        try writePlot()
        return records
    }

    /// Releases the run directory for another run; `run()` does this when it returns.
    public func close() { lock?.release() }

    /// Data-parallel runs: every replica's state digest, compared before
    /// each checkpoint (a collective call): replicas that drifted apart are
    /// an error, not a checkpoint.
    private func checkReplicasAgree() throws(TrainingError) {
        guard let replicas else { return }
        let digests = replicas.gather(Array(trainer.stateDigest().utf8)).map { String(decoding: $0, as: UTF8.self) }
        if let failure = replicas.failure { throw .replicas(failure) }
        replicaDigests = digests
        if Set(digests).count > 1 {
            throw .diverged("step \(step): the \(replicas.size) processes' weights differ (SHA-256 \(digests.map { String($0.prefix(12)) }.joined(separator: ", "))); the run stopped before writing a checkpoint")
        }
    }

    /// The 5x5 grid of samples from the fixed noise, or a conditional run's
    /// row per class (inference mode).
    public func sampleGrid() -> DecodedImage {
        if let classGrid { return classGrid.render(trainer.models.generator) }
        return SampleGrid.render(trainer.sample(noise: fixedNoise), columns: 5)
    }

    private func writeGrid(name: String) throws(TrainingError) {
        guard writes else { return }
        let path = imagesDirectory + "/" + name
        // Drawn here (the generator's weights of this step), encoded and written off the step loop.
        try gridWriter.write(sampleGrid(), to: path)
    }

    /// Draws losses.png from the run's records.
    public func writePlot() throws(TrainingError) {
        guard writes, !records.isEmpty else { return }
        try writeImage(LossPlot.render(records), to: plotPath)
    }

    private func writeImage(_ image: DecodedImage, to path: String) throws(TrainingError) {
        let png: [UInt8]
        do { png = try PNGEncoder.encode(image, fast: true) } catch { throw .output("cannot encode \(path): \(error)") }
        do { try FileWriting.replace(path, with: png) } catch { throw .storage(error) }
    }

    private func writeText(_ text: String, to path: String) throws(TrainingError) {
        do { try FileWriting.replace(path, withText: text) } catch { throw .storage(error) }
    }
}
