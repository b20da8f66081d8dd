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
/// config.json), through `RunDirectory` on the writing process only.
public final class TrainingRun {
    /// The run's configuration (written to config.json and every checkpoint).
    public let config: TrainingConfig
    /// The run directory.
    public let directory: String
    /// The dataset.
    public let reader: DatasetReader
    /// This process's batches: in memory or streamed, its share under MPI.
    public let source: BatchSource
    /// The models and their optimizers.
    public let trainer: GANTrainer
    /// Steps done (restored on resume).
    public internal(set) var step = 0
    /// The epoch the next step belongs to.
    public internal(set) var epoch = 0
    /// Batches done in the current epoch.
    public internal(set) var batchInEpoch = 0
    /// The step a resumed run continued from, if any.
    public internal(set) var resumedFrom: Int?
    /// Training seconds of the run's earlier starts (from the checkpoint resumed).
    var elapsedBefore = 0.0
    /// Whether `--time-limit` ended the run after the last step taken.
    public internal(set) var timeIsUp = false
    /// The run directory's files; only the process that writes has them (the only one, or replica 0).
    let files: RunDirectory?
    /// The processes of a data-parallel run, nil for one process.
    public let replicas: ReplicaGroup?
    /// Whether this process writes the run's files: the only process, or replica 0.
    public var writes: Bool { files != nil }
    /// Each replica's `GANTrainer.stateDigest()` after the last check before a checkpoint (data-parallel runs).
    public internal(set) var replicaDigests: [String] = []
    /// Called once after this process's first step (tests compare its gradients).
    public var afterFirstStep: ((GANTrainer) -> Void)?
    var records: [LossRecord] = []
    /// The noise of the unconditional 5x5 sample grid.
    let fixedNoise: Tensor
    /// A conditional run's labels and class distribution; nil for an unconditional run.
    let conditioning: RunConditioning?
    /// A conditional run's sample grid: a row per class.
    public let classGrid: ClassGrid?
    /// Sample quality during the run, when a classifier was given (and this process writes).
    public let evaluation: (any GeneratorEvaluator)?
    var runStart = monotonicSeconds()
    /// When step checkpoints are written, and at which step the last one was.
    var checkpointPolicy = CheckpointPolicy(everySteps: nil, minutes: nil, replicated: false, checkpointBytes: 0, now: 0)
    var lastCheckpointStep = -1

    /// RUN/checkpoints.
    public var checkpointDirectory: String { directory + "/checkpoints" }
    /// RUN/gan_images: the sample grids.
    public var imagesDirectory: String { directory + "/gan_images" }
    /// RUN/losses.csv: a line per step.
    public var lossesPath: String { directory + "/losses.csv" }
    /// RUN/losses.png.
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
        let writer = (replicas?.rank ?? 0) == 0
        files = writer ? try RunDirectory(path: directory) : nil
        do { reader = try DatasetReader(path: options.dataset) } catch { throw .datasetFile(error) }
        guard reader.count > 0 else { throw .dataset(.noImages(path: options.dataset)) }
        conditioning = options.conditional == true ? try RunConditioning(reader: reader, options: options) : nil
        config = TrainingConfig(options: options, height: reader.height, width: reader.width, channels: reader.channels,
                                labelNames: conditioning?.names)
        try Self.checkFits(config, reader)
        source = try Self.batchSource(config: config, reader: reader, replicas: self.replicas)
        BLAS.threads = config.threads
        trainer = Self.trainer(config: config, reader: reader, conditioning: conditioning, replicas: self.replicas)
        if config.classifier != nil, writer {
            precondition(evaluator != nil, "a run with a classifier needs an evaluator")
            evaluation = try evaluator?(reader, config, directory)
        } else {
            evaluation = nil
        }
        (fixedNoise, classGrid) = Self.gridNoise(config: config, conditioning: conditioning)
        try files?.createFolders()
        if resume { try restoreLatestCheckpoint() } else { try startFresh() }
        // Every replica starts from replica 0's weights (and has loaded its checkpoint before this returns).
        trainer.broadcastWeights()
        if let failure = self.replicas?.failure { throw .replicas(failure) }
    }

    /// Refuses a model the data's image shape does not fit, and a configuration this machine has no memory for.
    static func checkFits(_ config: TrainingConfig, _ reader: DatasetReader) throws(TrainingError) {
        if config.model == .dcgan {
            guard reader.height == reader.width, [32, 64, 128].contains(reader.height) else {
                throw .dataset(.dcganSize(path: config.dataset, height: reader.height, width: reader.width))
            }
        }
        if let (needed, available) = MemoryEstimate.shortfall(config: config) {
            throw .dataset(.trainingMemory(config: config, neededMiB: needed, availableMiB: available))
        }
    }

    /// The run's mini-batches: in memory or streamed, and this process's share of each global batch.
    static func batchSource(config: TrainingConfig, reader: DatasetReader, replicas: ReplicaGroup?) throws(TrainingError) -> BatchSource {
        do throws(DatasetError) {
            let global: BatchSource = config.stream
                ? ChunkedBatchStream(reader: reader, batchSize: config.batch, seed: config.seed, prefetch: config.prefetch)
                : try InMemoryBatches(reader: reader, batchSize: config.batch, seed: config.seed)
            guard let group = replicas else { return global }
            guard config.batch >= group.size else {
                throw DatasetError.invalid(path: config.dataset, problem: .globalBatch(batch: config.batch, processes: group.size))
            }
            return ReplicaBatches(global: global, rank: group.rank, replicas: group.size)
        } catch {
            throw .datasetFile(error)
        }
    }

    /// The models and their trainer, seeded from the configuration.
    static func trainer(config: TrainingConfig, reader: DatasetReader, conditioning: RunConditioning?, replicas: ReplicaGroup?) -> GANTrainer {
        let models = GANModels(architecture: config.model, height: reader.height, width: reader.width, channels: reader.channels,
                               latentSize: config.latent, featureMaps: config.featureMaps, classes: config.classes,
                               spectralNorm: config.options.trainingRecipe.spectralNorm,
                               classBatchNorm: config.options.trainingRecipe.classBatchNorm, seed: config.seed)
        let trainer = GANTrainer(models: models, recipe: config.options.trainingRecipe, realLabel: config.realLabel, seed: config.seed)
        trainer.classDistribution = conditioning?.distribution
        trainer.synchronizesBatchNorm = config.syncBatchNorm ?? false
        trainer.replicas = replicas
        return trainer
    }

    /// The fixed noise of the sample grids, and a conditional run's grid of a row per class.
    static func gridNoise(config: TrainingConfig, conditioning: RunConditioning?) -> (Tensor, ClassGrid?) {
        var noise = SeededGenerator(seed: config.seed ^ 0xF1F1_F1F1)
        let fixed = Tensor(shape: [25, config.latent])
        noise.fillNormal(fixed)
        guard let c = conditioning else { return (fixed, nil) }
        let columns = Tensor(shape: [ClassGrid.defaultColumns, config.latent])
        columns.data.update(from: fixed.data, count: columns.count)
        return (fixed, ClassGrid(classes: c.gridClasses, names: c.names, noise: columns))
    }

    /// Releases the run directory for another run; `run()` does this when it returns.
    public func close() { files?.close() }

    /// The 5x5 grid of samples from the fixed noise, or a conditional run's
    /// row per class (inference mode; the moving average's weights when the recipe keeps one).
    public func sampleGrid() -> DecodedImage {
        if let classGrid { return trainer.withSamplingWeights { classGrid.render(trainer.models.generator) } }
        return SampleGrid.render(trainer.sample(noise: fixedNoise), columns: 5)
    }

    /// Draws losses.png from the run's records.
    public func writePlot() throws(TrainingError) { try files?.writePlot(records) }
}
