import Foundation
import Support

/// The losses and accuracy of one training step.
public struct StepResult: Sendable {
    /// Discriminator loss on the real batch (targets `realLabel`).
    public var discriminatorLossReal: Float
    /// Discriminator loss on the generated batch (targets 0).
    public var discriminatorLossFake: Float
    /// Generator loss through the frozen discriminator (targets 1).
    public var generatorLoss: Float
    /// Discriminator accuracy over the real and generated batches.
    public var discriminatorAccuracy: Float
}

/// Trains a generator and a discriminator one mini-batch at a time.
///
/// Each step: draw noise and generate a batch; train the discriminator on
/// the real batch (targets `realLabel`) and the generated one (targets 0),
/// one Adam update from both gradients; then train the generator through the
/// frozen discriminator (targets 1). Targets are built in the shape of the
/// discriminator's output, whatever it is ([B, 1], or [B, h, w, 1] for a
/// patch discriminator): the "fit-style target-shape path".
public final class GANTrainer {
    /// The generator and the discriminator it trains.
    public let models: GANModels
    /// Adam over the generator's parameters.
    public let generatorOptimizer: Adam
    /// Adam over the discriminator's parameters.
    public let discriminatorOptimizer: Adam
    /// The recipe: loss, rates, D steps, EMA, augmentation, spectral norm.
    public let recipe: TrainingRecipe
    /// The adversarial loss on the discriminator's outputs.
    public let loss: AdversarialLoss
    /// Target for real images with BCE (1, or e.g. 0.9 for one-sided smoothing).
    public var realLabel: Float { loss.realLabel }
    /// Draws the noise; part of the checkpointed state.
    public var noise: SeededGenerator
    /// Draws the augmentations; part of the checkpointed state.
    public var augmentRandom: SeededGenerator
    /// Adaptive augmentation's probability and signal (`recipe.augment == .ada`); part of the checkpointed state.
    public var adaptive = AdaptiveAugment()
    /// The generator's moving average (`recipe.emaKimg > 0`).
    public let ema: GeneratorEMA?
    /// The discriminator's spectral normalisation (`recipe.spectralNorm`).
    public let spectralNorm: SpectralNorm?
    /// The factor on the recipe's learning rates for the steps that follow (its decay sets it); 1 at first.
    public var learningRateScale: Float = 1 {
        didSet {
            generatorOptimizer.learningRate = recipe.generatorLearningRate * learningRateScale
            discriminatorOptimizer.learningRate = recipe.discriminatorLearningRate * learningRateScale
        }
    }
    let realAugment = Augmentation(name: "augment/real")
    let fakeAugment = Augmentation(name: "augment/fake")
    var z: Tensor?
    var realTargets: Tensor?
    var fakeTargets: Tensor?
    var generatorTargets: Tensor?
    var gradient: Tensor?
    private var globalNoise: Tensor?
    /// A conditional pair's classes for generated batches (drawn with `noise`,
    /// after the batch's noise); nil for an unconditional pair.
    public var classDistribution: ClassDistribution? {
        didSet {
            precondition(classDistribution == nil || classDistribution!.classes == models.classes,
                         "a class distribution of \(classDistribution!.classes) classes for models of \(models.classes)")
        }
    }
    /// The classes of the last generated batch (this replica's rows).
    public internal(set) var generatedLabels: [Int32] = []
    /// The gradients of one network and a few statistics, contiguous for one collective sum.
    private var exchange: [Float] = []

    /// Data-parallel training: the replicas that share every global batch.
    /// Each step then sums the weighted gradients over the group (one
    /// `sum` per network), so the weights stay identical. BatchNorm layers
    /// either normalize with each replica's own batch statistics (as
    /// PyTorch's DistributedDataParallel does; the moving statistics are
    /// averaged over the group in the same sum) or, with
    /// `synchronizesBatchNorm`, with the statistics of the whole global batch,
    /// so every replica takes exactly the step one process would take.
    public var replicas: ReplicaGroup? {
        didSet { connectBatchNorm() }
    }

    /// Whether BatchNorm statistics are summed over the replicas (one more
    /// collective call per BatchNorm layer and pass).
    public var synchronizesBatchNorm = true {
        didSet { connectBatchNorm() }
    }

    private func connectBatchNorm() {
        for model in [models.generator, models.discriminator] {
            for case let bn as BatchNorm in model.layers { bn.replicas = synchronizesBatchNorm ? replicas : nil }
        }
    }

    /// A trainer of `models` by `recipe` (the models built with `spectralNorm: recipe.spectralNorm`).
    /// A conditional pair (`models.classes > 0`) draws generated classes
    /// in equal proportions until `classDistribution` says otherwise.
    public init(models: GANModels, recipe: TrainingRecipe, realLabel: Float = 1, seed: UInt64 = 0) {
        self.models = models
        self.recipe = recipe
        if models.classes > 0 { classDistribution = .even(classes: models.classes) }
        generatorOptimizer = Adam(learningRate: recipe.generatorLearningRate, beta1: recipe.beta1, beta2: recipe.beta2)
        discriminatorOptimizer = Adam(learningRate: recipe.discriminatorLearningRate, beta1: recipe.beta1, beta2: recipe.beta2)
        loss = AdversarialLoss(kind: recipe.loss, fromLogits: models.discriminatorOutputsLogits, realLabel: realLabel)
        noise = SeededGenerator(seed: seed &+ 0xC0FFEE)
        augmentRandom = SeededGenerator(seed: seed &+ 0xA06)
        ema = recipe.emaKimg > 0 ? GeneratorEMA(generator: models.generator) : nil
        spectralNorm = recipe.spectralNorm ? SpectralNorm(parameters: SpectralNorm.weights(of: models.discriminator), seed: seed &+ 0x5A) : nil
    }

    /// The classic recipe with this learning rate and beta1 for both networks.
    public convenience init(models: GANModels, learningRate: Float = 2e-4, beta1: Float = 0.5, realLabel: Float = 1, seed: UInt64 = 0) {
        self.init(models: models, recipe: .classic(learningRate: learningRate, beta1: beta1), realLabel: realLabel, seed: seed)
    }

    /// A tensor of `shape` filled with `value`, reused across steps.
    func targets(_ cached: inout Tensor?, shape: [Int], value: Float) -> Tensor {
        if let t = cached, t.shape == shape, t.data[0] == value { return t }
        let t = Tensor(shape: shape)
        t.fill(value)
        cached = t
        return t
    }

    /// Noise for `batch` samples, N(0, 1), from the trainer's generator.
    public func drawNoise(batch: Int) -> Tensor {
        let t = reuse(z, [batch, models.latentSize])
        z = t
        noise.fillNormal(t)
        return t
    }

    /// Noise for rows [offset, offset + batch) of a global batch of `global`
    /// samples: the whole batch's noise is drawn, so the generator's state
    /// moves as in one process, and this replica's rows are kept.
    func drawNoise(batch: Int, global: Int, offset: Int) -> Tensor {
        guard global != batch else { return drawNoise(batch: batch) }
        let all = reuse(globalNoise, [global, models.latentSize])
        globalNoise = all
        noise.fillNormal(all)
        let t = reuse(z, [batch, models.latentSize])
        z = t
        t.data.update(from: all.data + offset * models.latentSize, count: batch * models.latentSize)
        return t
    }

    /// Classes for rows [offset, offset + batch) of a global batch of
    /// `global` generated images, drawn like the noise (the whole batch's).
    func drawLabels(batch: Int, global: Int, offset: Int) -> [Int32] {
        guard let classDistribution else { return [] }
        return Array(classDistribution.draw(global, using: &noise)[offset..<(offset + batch)])
    }

    static func scaled(_ t: Tensor, by factor: Float) -> Tensor {
        if factor != 1 { for i in 0..<t.count { t.data[i] *= factor } }
        return t
    }

    /// Sums the parameters' gradients and `stats` over the replicas in one
    /// collective call (copied into one buffer and back); returns the summed
    /// statistics. Without synchronized BatchNorm, the `averaging` state
    /// (BatchNorm moving statistics, which then follow each replica's own
    /// batches) rides along and becomes the replicas' mean. Without
    /// replicas, `stats` as they are.
    func sumOverReplicas(_ parameters: [Parameter], averaging state: [Parameter], stats: [Float]) -> [Float] {
        guard let replicas, replicas.size > 1 else { return stats }
        let tensors = parameters.map(\.gradient) + (synchronizesBatchNorm ? [] : state.map(\.value))
        let total = tensors.reduce(0) { $0 + $1.count } + stats.count
        if exchange.count != total { exchange = [Float](repeating: 0, count: total) }
        return exchange.withUnsafeMutableBufferPointer { buffer in
            var at = 0
            for t in tensors {
                (buffer.baseAddress! + at).update(from: t.data, count: t.count)
                at += t.count
            }
            for (i, value) in stats.enumerated() { buffer[at + i] = value }
            replicas.sum(buffer)
            at = 0
            let scale = 1 / Float(replicas.size)
            for (i, t) in tensors.enumerated() {
                t.data.update(from: buffer.baseAddress! + at, count: t.count)
                if i >= parameters.count { for j in 0..<t.count { t.data[j] *= scale } }
                at += t.count
            }
            return Array(buffer[at..<total])
        }
    }

    /// Makes every replica's weights and BatchNorm statistics those of
    /// replica 0 (one broadcast per tensor).
    public func broadcastWeights() {
        guard let replicas, replicas.size > 1 else { return }
        let extra = (ema?.shadows ?? []) + (spectralNorm?.state ?? [])
        for p in models.generator.parameters + models.generator.state + models.discriminator.parameters + models.discriminator.state + extra {
            replicas.broadcast(UnsafeMutableBufferPointer(start: p.value.data, count: p.value.count), from: 0)
        }
    }

    /// SHA-256 of every tensor a checkpoint holds (weights, BatchNorm
    /// statistics, Adam moments), in checkpoint order: equal on every
    /// replica of a data-parallel run.
    public func stateDigest() -> String {
        var hasher = SHA256()
        for (_, t) in checkpointTensors {
            hasher.update(UnsafeRawBufferPointer(start: t.data, count: t.count * MemoryLayout<Float>.size))
        }
        return hasher.finalizeHex()
    }

    /// FLOPs of one step for `batch` images: per D update, G forward once,
    /// D forward twice and backward twice with weight and input gradients
    /// (2x); then D forward once and backward for input gradients only (1x),
    /// G backward (2x). One D update: 3 G forwards and 8 D forwards' worth.
    public func stepFLOPs(batch: Int) -> Double {
        let fg = models.generator.forwardFLOPs(inputShape: [batch, models.latentSize])
        let fd = models.discriminator.forwardFLOPs(inputShape: [batch] + models.imageShape)
        let k = Double(recipe.discriminatorSteps)
        return (k + 2) * fg + (6 * k + 2) * fd
    }

    /// Generator samples in inference mode (BatchNorm moving statistics) for
    /// fixed noise, of `labels` (one per row) for a conditional pair; with
    /// the moving average's weights when the recipe keeps one.
    public func sample(noise z: Tensor, labels: [Int32]? = nil) -> Tensor {
        precondition(models.classes == 0 || labels?.count == z.batch, "a conditional generator needs one label per noise row")
        return withSamplingWeights { models.generator.generate(noise: z, labels: labels) }
    }

    /// Runs `body` with the weights samples come from in the generator: the moving average's
    /// with their own BatchNorm statistics (`StandingStatistics`) when the recipe keeps one
    /// (the live weights and statistics are back afterwards), else the live ones.
    public func withSamplingWeights<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        guard let ema else { return try body() }
        return try ema.withAverage { () throws(E) -> T in
            ema.applyStandingState { StandingStatistics.recompute(models.generator, latent: models.latentSize, classes: models.classes) }
            return try body()
        }
    }

    /// Every tensor a checkpoint holds: weights, BatchNorm statistics, the
    /// generator's moving average (`ema/...`), the spectral norms' u vectors
    /// (`..._sn_u`), Adam moments.
    public var checkpointTensors: [(name: String, tensor: Tensor)] {
        let g = models.generator, d = models.discriminator
        let extra = (ema?.shadows ?? []) + (spectralNorm?.state ?? [])
        return (g.parameters + g.state + d.parameters + d.state + extra).map { (name: $0.name, tensor: $0.value) }
            + generatorOptimizer.stateTensors(for: g.parameters).map { (name: "optimizer/" + $0.name, tensor: $0.tensor) }
            + discriminatorOptimizer.stateTensors(for: d.parameters).map { (name: "optimizer/" + $0.name, tensor: $0.tensor) }
    }
}
