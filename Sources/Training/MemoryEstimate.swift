import DatasetFile
import GAN

/// A generous estimate of the memory a training run needs, computed from
/// the configuration alone, so that sizes a machine cannot honour are
/// refused with a message instead of ending in an allocation failure.
enum MemoryEstimate {
    /// When `config` needs more than 90% of the memory available now: the
    /// estimate and what is available, in MiB; nil when it fits.
    static func shortfall(config: TrainingConfig) -> (neededMiB: Int, availableMiB: Int)? {
        let needed = training(config: config)
        let available = SystemMemory.availableBytes()
        guard needed > Double(available) * 0.9 else { return nil }
        return (Int(min(needed / 1_048_576, Double(Int.max))), available >> 20)
    }

    /// Bytes for weights, gradients and Adam moments, the layers' activations
    /// and their gradients, the largest im2col patch matrix, and the batches
    /// in flight (Double: the inputs may be absurd).
    static func training(config: TrainingConfig) -> Double {
        let (h, w, c) = (Double(config.height), Double(config.width), Double(config.channels))
        let latent = Double(config.latent), batch = Double(config.batch)
        var parameters = 0.0, activations = 0.0, patches = 0.0
        switch config.model {
        case .mlp:
            let pixels = h * w * c
            parameters = latent * 256 + 256 * 512 + 512 * 1024 + 1024 * pixels + pixels * 512 + 512 * 256 + 256
            activations = 3 * (256 + 512 + 1024) + 3 * pixels + 512 + 256
        case .dcgan:
            let levels = h <= 32 ? 3 : h <= 64 ? 4 : 5
            let f = Double(config.featureMaps)
            var maps = f * Double(1 << (levels - 1))
            parameters += latent * 16 * maps
            activations += 3 * 16 * maps
            var side = 4.0
            for _ in 1..<levels {
                parameters += 16 * maps * maps / 2
                patches = max(patches, side * side * 16 * maps)
                maps /= 2
                side *= 2
                activations += 3 * side * side * maps
            }
            parameters += 16 * maps * c
            patches = max(patches, side * side * 16 * maps)
            // The discriminator mirrors it, from f maps at half the image size.
            var dMaps = f, dSide = h / 2, inputs = c
            for _ in 0..<levels {
                parameters += 16 * inputs * dMaps
                patches = max(patches, dSide * dSide * 16 * inputs)
                activations += 3 * dSide * dSide * dMaps
                inputs = dMaps
                dMaps *= 2
                dSide /= 2
            }
            parameters += 16 * inputs
        }
        let floats = 4 * parameters + batch * (4 * activations + 2 * patches)
            + batch * h * w * c * Double(config.prefetch + 4)
        return floats * Double(MemoryLayout<Float>.size)
    }
}
