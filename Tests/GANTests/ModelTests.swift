import Foundation
import GAN
import Support
import Testing

@Suite struct ModelTests {
    @Test(arguments: [GANArchitecture.mlp, .dcgan], [32, 64, 128])
    func modelsProduceImagesAndOneScorePerImage(architecture: GANArchitecture, size: Int) {
        for channels in [1, 3] {
            let models = GANModels(architecture: architecture, height: size, width: size, channels: channels, featureMaps: 8)
            #expect(models.generator.outputShape(for: [2, 100]) == [2, size, size, channels])
            #expect(models.discriminator.outputShape(for: [2, size, size, channels]) == [2, 1])
        }
    }

    @Test func mlpMatchesTheOriginalArchitecture() {
        let models = GANModels(architecture: .mlp, height: 28, width: 28, channels: 1)
        let g = models.generator.layers
        #expect(g.compactMap { ($0 as? Dense)?.units } == [256, 512, 1024, 784])
        #expect(g.compactMap { ($0 as? BatchNorm)?.momentum } == [0.8, 0.8, 0.8])
        #expect(g.compactMap { ($0 as? LeakyReLU)?.alpha } == [0.2, 0.2, 0.2])
        #expect(models.discriminator.layers.compactMap { ($0 as? Dense)?.units } == [512, 256, 1])
        #expect(models.discriminator.layers.last is Sigmoid && g[g.count - 2] is Tanh)
        // Keras's Dense parameter counts: (100*256+256) + (256*512+512) + (512*1024+1024) + (1024*784+784) + BN gammas and betas.
        #expect(models.generator.parameterCount == 25_856 + 131_584 + 525_312 + 803_600 + 2 * (256 + 512 + 1024))
    }

    @Test func initialisationIsDeterministicFromTheSeed() {
        let a = GANModels(architecture: .dcgan, height: 32, width: 32, channels: 3, featureMaps: 8, seed: 9)
        let b = GANModels(architecture: .dcgan, height: 32, width: 32, channels: 3, featureMaps: 8, seed: 9)
        let c = GANModels(architecture: .dcgan, height: 32, width: 32, channels: 3, featureMaps: 8, seed: 10)
        #expect(a.generator.parameters.map(\.value.array) == b.generator.parameters.map(\.value.array))
        #expect(a.generator.parameters.map(\.value.array) != c.generator.parameters.map(\.value.array))
    }

    @Test func trainingDrivesALossDown() {
        // A small conv net learns to map fixed inputs to fixed targets: a sign
        // or indexing error anywhere in forward, backward or Adam fails this.
        var random = SeededGenerator(seed: 1)
        let model = Sequential(name: "net", layers: [
            Conv2D(name: "net/conv", inputChannels: 2, filters: 6, kernelSize: 3, stride: 2),
            BatchNorm(name: "net/bn", features: 6),
            LeakyReLU(name: "net/lrelu"),
            Conv2DTranspose(name: "net/deconv", inputChannels: 6, filters: 2, kernelSize: 4, stride: 2),
            Tanh(name: "net/tanh"),
        ])
        for p in model.parameters where p.name.hasSuffix("kernel") { random.fillNormal(p.value, std: 0.2) }
        let x = Tensor(shape: [4, 8, 8, 2]), target = Tensor(shape: [4, 8, 8, 2])
        random.fillNormal(x)
        for i in 0..<target.count { target.data[i] = tanhf(sinf(Float(i) * 0.37)) * 0.8 }
        let adam = Adam(learningRate: 0.01, beta1: 0.9)
        let gradient = Tensor(shape: target.shape)
        func step() -> Float {
            let y = model.forward(x, training: true)
            var loss: Float = 0
            for i in 0..<y.count {
                let d = y.data[i] - target.data[i]
                loss += d * d / Float(y.count)
                gradient.data[i] = 2 * d / Float(y.count)
            }
            model.zeroGradients()
            model.backward(gradient)
            adam.step(model.parameters)
            return loss
        }
        let first = step()
        var last = first
        for _ in 0..<300 { last = step() }
        #expect(last < first / 10, "loss went from \(first) to \(last)")
    }

    @Test func sgdWithMomentumAccumulatesVelocity() {
        let p = Parameter(name: "w", shape: [1])
        p.value.data[0] = 1
        p.gradient.data[0] = 2
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        sgd.step([p])  // v = -0.2, w = 0.8
        sgd.step([p])  // v = 0.9 * -0.2 - 0.2 = -0.38, w = 0.42
        #expect(abs(p.value.data[0] - 0.42) < 1e-6)
        #expect(sgd.iterations == 2)
    }

    @Test func adamTakesKerasFirstStep() {
        let p = Parameter(name: "w", shape: [2])
        p.value.data[0] = 1; p.value.data[1] = -1
        p.gradient.data[0] = 0.5; p.gradient.data[1] = -2
        let adam = Adam(learningRate: 0.1, beta1: 0.5, beta2: 0.999, epsilon: 1e-7)
        adam.step([p])
        // First step: m = (1-b1) g, v = (1-b2) g², lr_t = lr sqrt(1-b2)/(1-b1) => update = lr * sign(g) (up to epsilon).
        #expect(abs(p.value.data[0] - 0.9) < 1e-5 && abs(p.value.data[1] - -0.9) < 1e-5)
    }
}
