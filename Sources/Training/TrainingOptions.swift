import GAN

/// What a user chooses for a training run (the command line's options):
/// everything but the image shape, which comes from the dataset.
public struct TrainingOptions: Codable, Sendable, Equatable {
    /// The packed dataset to train on.
    public var dataset: String
    /// dcgan or mlp.
    public var model: GANArchitecture
    /// Noise values per generated image.
    public var latent: Int
    /// dcgan width: feature maps at the widest ends.
    public var featureMaps: Int
    /// Images per step (the global batch under MPI).
    public var batch: Int
    /// Adam's learning rate for both networks.
    public var learningRate: Float
    /// Adam's beta1 for both networks.
    public var beta1: Float
    /// The discriminator's target for real images (below 1: one-sided label smoothing).
    public var realLabel: Float
    /// Seeds weights, noise and the order of examples.
    public var seed: UInt64
    /// Whether batches are streamed from the file instead of loaded into memory.
    public var stream: Bool
    /// Batches a stream reads ahead.
    public var prefetch: Int
    /// Run length: `steps` when given, else `epochs` full passes.
    public var epochs: Int
    /// Steps to train; nil: `epochs` passes over the data.
    public var steps: Int?
    /// Sample grid every N steps; nil: at the end of every epoch.
    public var sampleEvery: Int?
    /// Checkpoint every N steps; nil: at the end of every epoch. A final one is always written.
    public var checkpointEvery: Int?
    /// A checkpoint also when this many minutes passed since the last one; nil: none by time.
    public var checkpointMinutes: Double?
    /// Threads for the matrix products and the passes between them.
    public var threads: Int
    /// Checkpoints kept on disk (the newest ones).
    public var keepCheckpoints: Int
    /// The classifier whose features evaluate the samples during training; nil: no evaluation.
    public var classifier: String?
    /// Evaluate every N steps; nil: at the end of every epoch (with a classifier).
    public var evalEvery: Int?
    /// Generated (and at most real) images per evaluation; nil: `defaultEvalCount`.
    public var evalCount: Int?
    /// Processes of a data-parallel run (`mpirun -np N`); nil: one.
    public var ranks: Int?
    /// Data-parallel runs: BatchNorm statistics over the whole global batch
    /// (the step one process would take) rather than each process's share; nil: false.
    public var syncBatchNorm: Bool?
    /// A class-conditional GAN on the dataset's labels; nil: false.
    public var conditional: Bool?
    /// Conditional runs: the classes of generated batches; nil: `.frequency`.
    public var classBalance: ClassBalance?
    /// Conditional runs: the classes of the sample grids' rows, by name; nil: the first ten.
    public var gridClasses: [String]?
    /// A time budget in minutes of the run's training (a resumed run's earlier time counted): the run
    /// ends after the step that crosses it, as it ends after its last step; nil: none.
    public var timeLimitMinutes: Double?
    /// How the pair trains (loss, rates, D steps, EMA, augmentation, spectral norm); nil (configurations
    /// written before recipes): the classic recipe with `learningRate` and `beta1`.
    public var recipe: TrainingRecipe?

    /// The recipe this run trains with.
    public var trainingRecipe: TrainingRecipe { recipe ?? .classic(learningRate: learningRate, beta1: beta1) }

    /// Images per evaluation during training unless told otherwise.
    public static let defaultEvalCount = 2000

    /// A run's options; every one has the CLI's default.
    public init(dataset: String, model: GANArchitecture = .dcgan, latent: Int = 100, featureMaps: Int = 64, batch: Int = 64,
                learningRate: Float = 2e-4, beta1: Float = 0.5, realLabel: Float = 1, seed: UInt64 = 0, stream: Bool = false,
                prefetch: Int = 4, epochs: Int = 10, steps: Int? = nil, sampleEvery: Int? = nil, checkpointEvery: Int? = nil,
                threads: Int = 1, keepCheckpoints: Int = 3, classifier: String? = nil, evalEvery: Int? = nil,
                evalCount: Int? = nil, ranks: Int? = nil, syncBatchNorm: Bool? = nil, checkpointMinutes: Double? = nil,
                conditional: Bool? = nil, classBalance: ClassBalance? = nil, gridClasses: [String]? = nil,
                timeLimitMinutes: Double? = nil, recipe: TrainingRecipe? = nil) {
        self.dataset = dataset
        self.model = model
        self.latent = latent
        self.featureMaps = featureMaps
        self.batch = batch
        self.learningRate = learningRate
        self.beta1 = beta1
        self.realLabel = realLabel
        self.seed = seed
        self.stream = stream
        self.prefetch = prefetch
        self.epochs = epochs
        self.steps = steps
        self.sampleEvery = sampleEvery
        self.checkpointEvery = checkpointEvery
        self.threads = threads
        self.keepCheckpoints = keepCheckpoints
        self.classifier = classifier
        self.evalEvery = evalEvery
        self.evalCount = evalCount
        self.ranks = ranks
        self.syncBatchNorm = syncBatchNorm
        self.checkpointMinutes = checkpointMinutes
        self.conditional = conditional
        self.classBalance = classBalance
        self.gridClasses = gridClasses
        self.timeLimitMinutes = timeLimitMinutes
        self.recipe = recipe
    }
}
