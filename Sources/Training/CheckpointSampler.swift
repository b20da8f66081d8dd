import GAN
import HDF5
import Imaging
import Support

/// Rebuilds a generator from a checkpoint alone (its `config` attribute says
/// which) and renders samples.
public enum CheckpointSampler {
    /// The checkpoint's generator with its weights (the moving average's, with their own
    /// BatchNorm statistics, when the run kept one: `StandingStatistics`), and
    /// the run configuration it was written with.
    /// - Parameter batch: the batch the generator will be run with (for the memory check).
    public static func generator(checkpoint: String, batch: Int) throws -> (generator: Sequential, config: TrainingConfig) {
        guard let saved = try TrainingConfig.from(checkpoint: checkpoint) else {
            throw TrainingError.checkpoint(.notACheckpoint(path: checkpoint))
        }
        var config = try saved.validated(source: checkpoint)
        config.batch = batch
        if let (needed, available) = MemoryEstimate.shortfall(config: config) {
            throw TrainingError.checkpoint(.modelMemory(path: checkpoint, neededMiB: needed, availableMiB: available))
        }
        let models = GANModels(architecture: config.model, height: config.height, width: config.width, channels: config.channels,
                               latentSize: config.latent, featureMaps: config.featureMaps, classes: config.classes,
                               classBatchNorm: config.options.trainingRecipe.classBatchNorm)
        let g = models.generator
        // A run with a moving average samples from it (`ema/<name>`), as its grids and evaluations did.
        let prefix = config.options.trainingRecipe.emaKimg > 0 ? "ema/" : ""
        try TensorStore.load((g.parameters + g.state).map { (name: prefix + $0.name, tensor: $0.value) }, from: checkpoint)
        if !prefix.isEmpty { StandingStatistics.recompute(g, latent: config.latent, classes: config.classes) }
        return (g, config)
    }

    /// PNG bytes of a grid of `count` samples from noise drawn with `seed`
    /// (a conditional generator's classes drawn evenly).
    public static func grid(checkpoint: String, count: Int, seed: UInt64) throws -> [UInt8] {
        let (g, config) = try generator(checkpoint: checkpoint, batch: count)
        var random = SeededGenerator(seed: seed)
        let batch = samples(g, config: config, label: nil, count: count, random: &random)
        let image = SampleGrid.render(batch.images, columns: Int(Double(count).squareRoot().rounded(.up)))
        return try PNGEncoder.encode(image)
    }

    /// `count` images from noise drawn with `random`, all of class `label`,
    /// or (nil) of classes drawn evenly for a conditional generator, and their classes.
    public static func samples(_ generator: Sequential, config: TrainingConfig, label: Int32?, count: Int,
                               random: inout SeededGenerator) -> (images: Tensor, labels: [Int32]?) {
        let z = Tensor(shape: [count, config.latent])
        random.fillNormal(z)
        var labels: [Int32]?
        if config.classes > 0 {
            labels = label.map { Array(repeating: $0, count: count) } ?? ClassDistribution.even(classes: config.classes).draw(count, using: &random)
        }
        return (generator.generate(noise: z, labels: labels), labels)
    }
}

extension SampleGrid {
    /// A grid of a batch of generated images [N, H, W, C]; images under 48
    /// pixels are drawn 3x so they can be seen.
    public static func render(_ samples: Tensor, columns: Int) -> DecodedImage {
        let (h, w, c) = (samples.shape[1], samples.shape[2], samples.shape[3])
        return render(UnsafeBufferPointer(start: samples.data, count: samples.count), count: samples.shape[0],
                      height: h, width: w, channels: c, columns: columns, scale: h <= 48 ? 3 : 1)
    }
}
