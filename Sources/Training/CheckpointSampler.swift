import GAN
import HDF5
import Imaging

/// Rebuilds a generator from a checkpoint alone (its `config` attribute says
/// which) and renders samples.
public enum CheckpointSampler {
    /// PNG bytes of a grid of `count` samples from noise drawn with `seed`.
    public static func grid(checkpoint: String, count: Int, seed: UInt64) throws -> [UInt8] {
        let file = try HDF5File.open(checkpoint)
        guard file.hasAttribute("config"), let json = try file.attribute("config").stringValue, let config = TrainingConfig.from(json: json) else {
            throw TrainingError.checkpoint("\(checkpoint) is not a ganprep checkpoint (no run configuration)")
        }
        let models = GANModels(architecture: config.architecture, height: config.height, width: config.width, channels: config.channels,
                               latentSize: config.latent, featureMaps: config.featureMaps)
        let g = models.generator
        try TensorStore.load((g.parameters + g.state).map { (name: $0.name, tensor: $0.value) }, from: checkpoint)
        var random = SeededGenerator(seed: seed)
        let z = Tensor(shape: [count, config.latent])
        random.fillNormal(z)
        let samples = g.forward(z, training: false)
        let columns = Int(Double(count).squareRoot().rounded(.up))
        let image = SampleGrid.render(UnsafeBufferPointer(start: samples.data, count: samples.count), count: count,
                                      height: config.height, width: config.width, channels: config.channels,
                                      columns: columns, scale: config.height <= 48 ? 3 : 1)
        return try PNGEncoder.encode(image)
    }
}
