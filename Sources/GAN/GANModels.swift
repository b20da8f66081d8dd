import Support

/// A generator and a discriminator for images of one shape.
public struct GANModels {
    /// Noise [B, latentSize] (and classes) to images [B, H, W, C] in [-1, 1].
    public let generator: Sequential
    /// Images [B, H, W, C] (and classes) to one logit each, [B, 1].
    public let discriminator: Sequential
    /// Whether the discriminator ends in a logit (dcgan) or a probability (mlp).
    public let discriminatorOutputsLogits: Bool
    /// Noise values per generated image.
    public let latentSize: Int
    /// The images: [H, W, C].
    public let imageShape: [Int]
    /// Classes of a conditional pair (the generator's class input and the
    /// discriminator's projection head); 0 for an unconditional one.
    public let classes: Int

    /// A pair built elsewhere (for custom architectures and tests).
    public init(generator: Sequential, discriminator: Sequential, discriminatorOutputsLogits: Bool, latentSize: Int, imageShape: [Int]) {
        self.generator = generator
        self.discriminator = discriminator
        self.discriminatorOutputsLogits = discriminatorOutputsLogits
        self.latentSize = latentSize
        self.imageShape = imageShape
        classes = generator.conditionClasses ?? 0
    }

    /// Builds a model pair with weights drawn from `seed`.
    /// - Parameters:
    ///   - height, width: 32, 64 or 128 for dcgan (any for mlp); channels 1 or 3.
    ///   - featureMaps: dcgan width: maps at the widest ends (64 in the DCGAN paper).
    ///   - classes: for a class-conditional pair, the number of classes: the
    ///     generator's first layer appends each row's class as a one-hot vector
    ///     to its noise (`ClassConditionInput`), and the discriminator's logit
    ///     layer is a projection head (`ClassProjection`). 0: unconditional.
    ///   - spectralNorm: a discriminator for spectral normalisation: dcgan's
    ///     without its BatchNorm layers (as in SNGAN); the mlp's has none.
    ///   - classBatchNorm: for a conditional pair, the generator's BatchNorm
    ///     layers class-conditional (a gain and bias per class).
    public init(architecture: GANArchitecture, height: Int, width: Int, channels: Int, latentSize: Int = 100,
                featureMaps: Int = 64, classes: Int = 0, spectralNorm: Bool = false, classBatchNorm: Bool = false, seed: UInt64 = 0) {
        precondition(channels == 1 || channels == 3, "channels must be 1 or 3")
        precondition(classes >= 0, "classes must not be negative")
        self.latentSize = latentSize
        self.classes = classes
        imageShape = [height, width, channels]
        switch architecture {
        case .mlp:
            (generator, discriminator) = Self.mlp(height: height, width: width, channels: channels, latent: latentSize, classes: classes,
                                                  classBatchNorm: classBatchNorm)
            discriminatorOutputsLogits = false
        case .dcgan:
            (generator, discriminator) = Self.dcgan(height: height, width: width, channels: channels, latent: latentSize, f: featureMaps,
                                                    classes: classes, batchNormInD: !spectralNorm, classBatchNorm: classBatchNorm)
            discriminatorOutputsLogits = true
        }
        var generatorRandom = SeededGenerator(seed: seed)
        Self.initialise(generator, architecture: architecture, random: &generatorRandom)
        var discriminatorRandom = SeededGenerator(seed: seed &+ 0x5EED)
        Self.initialise(discriminator, architecture: architecture, random: &discriminatorRandom)
    }

    /// G: Dense 256, LeakyReLU 0.2, BatchNorm 0.8, Dense 512, LeakyReLU, BatchNorm,
    /// Dense 1024, LeakyReLU, BatchNorm, Dense H*W*C with tanh; D: Flatten,
    /// Dense 512, LeakyReLU, Dense 256, LeakyReLU, Dense 1 with sigmoid.
    static func mlp(height: Int, width: Int, channels: Int, latent: Int, classes: Int, classBatchNorm: Bool = false) -> (Sequential, Sequential) {
        let pixels = height * width * channels
        let normClasses = classBatchNorm ? classes : 0
        var g: [Layer] = []
        if classes > 0 { g.append(ClassConditionInput(name: "generator/class_input", latentSize: latent, classes: classes)) }
        var inputs = latent + classes
        for (i, units) in [256, 512, 1024].enumerated() {
            g.append(Dense(name: "generator/dense_\(i)", inputSize: inputs, units: units))
            g.append(LeakyReLU(name: "generator/leaky_relu_\(i)", alpha: 0.2))
            g.append(BatchNorm(name: "generator/batch_norm_\(i)", features: units, classes: normClasses, momentum: 0.8))
            inputs = units
        }
        g.append(Dense(name: "generator/dense_3", inputSize: 1024, units: pixels))
        g.append(Tanh(name: "generator/tanh"))
        g.append(Reshape(name: "generator/reshape", to: [height, width, channels]))
        let d: [Layer] = [
            Flatten(name: "discriminator/flatten"),
            Dense(name: "discriminator/dense_0", inputSize: pixels, units: 512),
            LeakyReLU(name: "discriminator/leaky_relu_0", alpha: 0.2),
            Dense(name: "discriminator/dense_1", inputSize: 512, units: 256),
            LeakyReLU(name: "discriminator/leaky_relu_1", alpha: 0.2),
            logit(name: "discriminator/dense_2", inputSize: 256, classes: classes),
            Sigmoid(name: "discriminator/sigmoid"),
        ]
        return (Sequential(name: "generator", layers: g), Sequential(name: "discriminator", layers: d))
    }

    /// G: latent -> Dense to 4x4x(f*2^(n-1)), BatchNorm, ReLU, then n-1
    /// transposed convolutions (kernel 4, stride 2) halving the maps with
    /// BatchNorm and ReLU, and a last one to C channels with tanh.
    /// D: n strided convolutions (kernel 4, stride 2) doubling the maps from f
    /// with LeakyReLU 0.2, BatchNorm after all but the first (unless
    /// `batchNormInD` is false), then one logit. With `classBatchNorm`, G's
    /// BatchNorm layers are class-conditional.
    /// n = log2(size / 4): 3, 4, 5 for 32, 64, 128 pixels.
    static func dcgan(height: Int, width: Int, channels: Int, latent: Int, f: Int, classes: Int,
                      batchNormInD: Bool = true, classBatchNorm: Bool = false) -> (Sequential, Sequential) {
        precondition(height == width && [32, 64, 128].contains(height), "dcgan supports 32, 64 and 128 pixel square images, got \(height)x\(width)")
        let n = height == 32 ? 3 : height == 64 ? 4 : 5
        let normClasses = classBatchNorm ? classes : 0
        var g: [Layer] = []
        var maps = f << (n - 1)
        if classes > 0 { g.append(ClassConditionInput(name: "generator/class_input", latentSize: latent, classes: classes)) }
        g.append(Dense(name: "generator/project", inputSize: latent + classes, units: 16 * maps))
        g.append(Reshape(name: "generator/reshape", to: [4, 4, maps]))
        g.append(BatchNorm(name: "generator/batch_norm_0", features: maps, classes: normClasses, momentum: 0.9, epsilon: 1e-5))
        g.append(ReLU(name: "generator/relu_0"))
        for i in 1..<n {
            g.append(Conv2DTranspose(name: "generator/deconv_\(i)", inputChannels: maps, filters: maps / 2, kernelSize: 4, stride: 2, useBias: false))
            maps /= 2
            g.append(BatchNorm(name: "generator/batch_norm_\(i)", features: maps, classes: normClasses, momentum: 0.9, epsilon: 1e-5))
            g.append(ReLU(name: "generator/relu_\(i)"))
        }
        g.append(Conv2DTranspose(name: "generator/deconv_\(n)", inputChannels: maps, filters: channels, kernelSize: 4, stride: 2))
        g.append(Tanh(name: "generator/tanh"))
        var d: [Layer] = []
        var inputs = channels
        maps = f
        for i in 0..<n {
            d.append(Conv2D(name: "discriminator/conv_\(i)", inputChannels: inputs, filters: maps, kernelSize: 4, stride: 2, useBias: i == 0))
            if i > 0 && batchNormInD { d.append(BatchNorm(name: "discriminator/batch_norm_\(i)", features: maps, momentum: 0.9, epsilon: 1e-5)) }
            d.append(LeakyReLU(name: "discriminator/leaky_relu_\(i)", alpha: 0.2))
            inputs = maps
            maps *= 2
        }
        d.append(Flatten(name: "discriminator/flatten"))
        d.append(logit(name: "discriminator/logit", inputSize: 16 * inputs, classes: classes))
        return (Sequential(name: "generator", layers: g), Sequential(name: "discriminator", layers: d))
    }

    /// The discriminator's last layer: a Dense logit, or a projection head for a conditional pair.
    static func logit(name: String, inputSize: Int, classes: Int) -> Layer {
        classes > 0 ? ClassProjection(name: name, inputSize: inputSize, classes: classes) : Dense(name: name, inputSize: inputSize, units: 1)
    }

    /// mlp: Keras's defaults (Glorot uniform kernels, zero biases); dcgan:
    /// the DCGAN paper's N(0, 0.02) weights and N(1, 0.02) BatchNorm scales.
    static func initialise(_ model: Sequential, architecture: GANArchitecture, random: inout SeededGenerator) {
        for layer in model.layers {
            switch (layer, architecture) {
            case let (dense as Dense, .mlp):
                random.fillUniform(dense.kernel.value, limit: (6 / Float(dense.inputSize + dense.units)).squareRoot())
            case let (dense as Dense, .dcgan):
                random.fillNormal(dense.kernel.value, std: 0.02)
            case let (conv as Conv2D, _):
                random.fillNormal(conv.kernel.value, std: 0.02)
            case let (conv as Conv2DTranspose, _):
                random.fillNormal(conv.kernel.value, std: 0.02)
            case let (projection as ClassProjection, .mlp):
                let limit = (6 / Float(projection.inputSize + 1)).squareRoot()
                random.fillUniform(projection.kernel.value, limit: limit)
                random.fillUniform(projection.embedding.value, limit: limit)
            case let (projection as ClassProjection, .dcgan):
                random.fillNormal(projection.kernel.value, std: 0.02)
                random.fillNormal(projection.embedding.value, std: 0.02)
            case let (bn as BatchNorm, .dcgan):
                random.fillNormal(bn.gamma.value, mean: 1, std: 0.02)
            default:
                break
            }
        }
    }
}
