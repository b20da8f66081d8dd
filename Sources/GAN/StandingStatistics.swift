import Support

/// BigGAN's "standing statistics" (Brock et al. 2019) for a generator whose
/// weights are a moving average (`GeneratorEMA`). An average of weights is
/// not a network that was ever trained, and the average of the BatchNorm
/// statistics the live weights saw is not what the averaged weights
/// produce: sampled with those, the averaged generator's images drift (on
/// the demo's data FID 9.3 against 3.6 without the average, at five
/// minutes). So before it samples, each BatchNorm's moving statistics are
/// set to what the averaged weights themselves give: the mean over
/// `batches` training-mode batches of noise (classes in turn for a
/// conditional generator) of each layer's batch mean and variance. The
/// noise comes from a fixed seed, so the statistics are a function of the
/// weights alone: the same before and after a resume, in `train`, `sample`
/// and `eval`.
public enum StandingStatistics {
    /// Batches of noise the statistics average over.
    public static let batches = 8
    /// Images per batch.
    public static let batchSize = 128

    /// Sets every BatchNorm's moving statistics in `generator` to the
    /// averaged batch statistics of its own samples; the generator's other
    /// state is left as it was. Collective calls of a synchronised BatchNorm
    /// are not made (one process alone samples).
    public static func recompute(_ generator: Sequential, latent: Int, classes: Int) {
        let norms = generator.layers.compactMap { $0 as? BatchNorm }
        guard !norms.isEmpty else { return }
        let saved = norms.map { ($0.updatesMovingStatistics, $0.replicas) }
        for norm in norms {
            norm.updatesMovingStatistics = false
            norm.replicas = nil
        }
        defer { for (norm, (updates, replicas)) in zip(norms, saved) { norm.updatesMovingStatistics = updates; norm.replicas = replicas } }
        var sums = norms.map { (mean: [Double](repeating: 0, count: $0.features), variance: [Double](repeating: 0, count: $0.features)) }
        var random = SeededGenerator(seed: 0x5EED_57A7)
        let z = Tensor(shape: [batchSize, latent])
        for b in 0..<batches {
            random.fillNormal(z)
            let labels = classes > 0 ? (0..<batchSize).map { Int32((b * batchSize + $0) % classes) } : nil
            _ = generator.generate(noise: z, labels: labels, training: true)
            for (i, norm) in norms.enumerated() {
                let (mean, variance) = norm.batchStatistics
                for j in 0..<norm.features {
                    sums[i].mean[j] += Double(mean[j])
                    sums[i].variance[j] += Double(variance[j])
                }
            }
        }
        for (norm, sum) in zip(norms, sums) {
            for j in 0..<norm.features {
                norm.movingMean.value.data[j] = Float(sum.mean[j] / Double(batches))
                norm.movingVariance.value.data[j] = Float(sum.variance[j] / Double(batches))
            }
        }
    }
}
