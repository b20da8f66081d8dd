import GAN
import HDF5
import Support

/// Where a run stands, as a checkpoint stores it beside the weights: the
/// schema of a checkpoint's root attributes, written (`attributes`) and
/// read (`init(attributes:)`) in this one type, so the two cannot drift.
public struct CheckpointState: Equatable, Sendable {
    /// Steps done, the epoch they are in, and batches done in that epoch.
    public var step = 0
    /// The epoch the next step belongs to.
    public var epoch = 0
    /// Batches done in that epoch.
    public var batchInEpoch = 0
    /// The trainer's noise generator (four words), so the next step draws what an uninterrupted run would.
    public var noiseState: [UInt64] = []
    /// Each optimizer's step count (Adam's bias correction).
    public var generatorIterations = 0
    /// The discriminator's optimizer's step count.
    public var discriminatorIterations = 0
    /// Training seconds before this checkpoint, over every earlier start of the run.
    public var elapsedSeconds = 0.0
    /// The trainer's augmentation generator (four words; empty in checkpoints written before augmentation).
    public var augmentState: [UInt64] = []
    /// Adaptive augmentation's probability and the signal gathered since its last adjustment.
    public var adaptive = AdaptiveAugment()

    /// The `format` attribute that marks a ganprep checkpoint.
    public static let format = "ganprep-checkpoint"

    /// A state as given.
    public init(step: Int, epoch: Int, batchInEpoch: Int, noiseState: [UInt64], generatorIterations: Int,
                discriminatorIterations: Int, elapsedSeconds: Double) {
        self.step = step
        self.epoch = epoch
        self.batchInEpoch = batchInEpoch
        self.noiseState = noiseState
        self.generatorIterations = generatorIterations
        self.discriminatorIterations = discriminatorIterations
        self.elapsedSeconds = elapsedSeconds
    }

    /// The state `trainer` is in after `step` (of `epoch`, `batchInEpoch` into it), `elapsed` seconds of training in.
    public init(trainer: GANTrainer, step: Int, epoch: Int, batchInEpoch: Int, elapsed: Double) {
        self.init(step: step, epoch: epoch, batchInEpoch: batchInEpoch, noiseState: trainer.noise.stateWords,
                  generatorIterations: trainer.generatorOptimizer.iterations,
                  discriminatorIterations: trainer.discriminatorOptimizer.iterations, elapsedSeconds: elapsed)
        augmentState = trainer.augmentRandom.stateWords
        adaptive = trainer.adaptive
    }

    /// Reads a checkpoint's attributes; missing ones take the values a checkpoint of `step` implies.
    public init(attributes: [String: HDF5AttributeValue]) {
        step = attributes["step"]?.intValue ?? 0
        epoch = attributes["epoch"]?.intValue ?? 0
        batchInEpoch = attributes["batch_in_epoch"]?.intValue ?? 0
        if case let .integers(words)? = attributes["noise_state"], words.count == 4 {
            noiseState = words.map { UInt64(bitPattern: $0) }
        }
        generatorIterations = attributes["generator_iterations"]?.intValue ?? step
        discriminatorIterations = attributes["discriminator_iterations"]?.intValue ?? step
        elapsedSeconds = attributes["elapsed_seconds"]?.doublesValue?.first ?? 0
        if case let .integers(words)? = attributes["augment_state"], words.count == 4 {
            augmentState = words.map { UInt64(bitPattern: $0) }
        }
        if let ada = attributes["adaptive_augment"]?.doublesValue, ada.count == 5 {
            adaptive.probability = ada[0]
            (adaptive.signSum, adaptive.outputs, adaptive.images, adaptive.steps) = (ada[1], ada[2], ada[3], Int(ada[4]))
        }
    }

    /// The root attributes of a checkpoint of this state, written by `config`'s run.
    public func attributes(config: TrainingConfig) -> [String: HDF5AttributeValue] {
        var attributes: [String: HDF5AttributeValue] = [
            "step": .integers([Int64(step)]),
            "epoch": .integers([Int64(epoch)]),
            "batch_in_epoch": .integers([Int64(batchInEpoch)]),
            "noise_state": .integers(noiseState.map { Int64(bitPattern: $0) }),
            "generator_iterations": .integers([Int64(generatorIterations)]),
            "discriminator_iterations": .integers([Int64(discriminatorIterations)]),
            "elapsed_seconds": .doubles([elapsedSeconds]),
            "augment_state": .integers(augmentState.map { Int64(bitPattern: $0) }),
            "adaptive_augment": .doubles([adaptive.probability, adaptive.signSum, adaptive.outputs, adaptive.images, Double(adaptive.steps)]),
            "config": .string(config.json),
            "format": .string(Self.format),
        ]
        if let names = config.labelNames { attributes["label_names"] = .strings(names) }
        return attributes
    }

    /// Puts `trainer`'s noise, augmentation and optimizer counts where this state says.
    public func restore(into trainer: GANTrainer) {
        if noiseState.count == 4 { trainer.noise = SeededGenerator(state: noiseState) }
        if augmentState.count == 4 { trainer.augmentRandom = SeededGenerator(state: augmentState) }
        trainer.adaptive = adaptive
        trainer.generatorOptimizer.iterations = generatorIterations
        trainer.discriminatorOptimizer.iterations = discriminatorIterations
    }
}
