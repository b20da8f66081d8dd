import Foundation
import GAN
import Support
import Testing

/// Class-conditional BatchNorm: a gain and bias per class, the statistics the whole batch's.
@Suite struct ClassBatchNormTests {
    /// A layer of `classes` classes with gains and biases drawn around 1 and 0.
    func layer(features: Int, classes: Int, checker: inout GradientChecker) -> BatchNorm {
        let norm = BatchNorm(name: "cbn", features: features, classes: classes, momentum: 0.9, epsilon: 1e-5)
        checker.random.fillNormal(norm.gamma.value, mean: 1, std: 0.3)
        checker.random.fillNormal(norm.beta.value, std: 0.3)
        return norm
    }

    @Test func gradientsOn2DAnd4DInTrainingAndInference() {
        var checker = GradientChecker()
        checker.step = 3e-3
        let dense = layer(features: 5, classes: 3, checker: &checker)
        #expect(dense.gamma.value.shape == [3, 5] && dense.beta.value.shape == [3, 5])
        dense.labels = [2, 0, 2, 1, 0, 2]
        checker.check(dense, input: checker.tensor([6, 5], scale: 2), samples: 30)
        // Class 3 of 4 is in no image: its gradient is zero, analytic and numeric.
        let conv = layer(features: 3, classes: 4, checker: &checker)
        conv.labels = [1, 0, 2]
        checker.check(conv, input: checker.tensor([3, 2, 4, 3]), samples: 36)
        checker.random.fillNormal(conv.movingMean.value, std: 1)
        conv.movingVariance.value.fill(2)
        checker.check(conv, input: checker.tensor([3, 2, 4, 3]), training: false, samples: 36)
    }

    @Test func eachImageIsScaledByItsClassRowOfTheBatchNormalizedValues() {
        var checker = GradientChecker()
        let conditional = layer(features: 4, classes: 3, checker: &checker)
        conditional.labels = [1, 2, 1]
        let plain = BatchNorm(name: "bn", features: 4, momentum: 0.9, epsilon: 1e-5)
        let x = checker.tensor([3, 2, 2, 4], scale: 2)
        let y = conditional.forward(x, training: true).array
        let xhat = plain.forward(x, training: true).array
        for i in 0..<y.count {
            let row = Int(conditional.labels[i / 16]) * 4 + i % 4
            #expect(abs(y[i] - (conditional.gamma.value.data[row] * xhat[i] + conditional.beta.value.data[row])) < 1e-5)
        }
        // The statistics are the whole batch's, as the plain layer's.
        #expect(conditional.batchStatistics.mean == plain.batchStatistics.mean)
        #expect(conditional.movingVariance.value.array == plain.movingVariance.value.array)
    }

    @Test func oneClassInTheBatchIsThePlainLayerWithThatClassRow() {
        var checker = GradientChecker()
        let conditional = layer(features: 4, classes: 3, checker: &checker)
        conditional.labels = [2, 2]
        let plain = BatchNorm(name: "bn", features: 4, momentum: 0.9, epsilon: 1e-5)
        plain.gamma.value.copy(from: Tensor(shape: [4], values: Array(conditional.gamma.value.array[8..<12])))
        plain.beta.value.copy(from: Tensor(shape: [4], values: Array(conditional.beta.value.array[8..<12])))
        let x = checker.tensor([2, 3, 3, 4]), dy = checker.tensor([2, 3, 3, 4])
        #expect(conditional.forward(x, training: true).array == plain.forward(x, training: true).array)
        let dxConditional = conditional.backward(dy, needsInputGradient: true, accumulateParameterGradients: true)!.array
        let dxPlain = plain.backward(dy, needsInputGradient: true, accumulateParameterGradients: true)!.array
        for (a, b) in zip(dxConditional, dxPlain) { #expect(abs(a - b) <= 1e-5 * max(1, abs(b))) }
        let gammaGradient = conditional.gamma.gradient.array, betaGradient = conditional.beta.gradient.array
        #expect(gammaGradient[0..<8].allSatisfy { $0 == 0 } && betaGradient[0..<8].allSatisfy { $0 == 0 })
        for j in 0..<4 {
            #expect(abs(gammaGradient[8 + j] - plain.gamma.gradient.data[j]) <= 1e-4 * max(1, abs(plain.gamma.gradient.data[j])))
            #expect(abs(betaGradient[8 + j] - plain.beta.gradient.data[j]) <= 1e-4 * max(1, abs(plain.beta.gradient.data[j])))
        }
    }

    @Test(arguments: [GANArchitecture.mlp, .dcgan])
    func generatorsWithClassBatchNormHaveAGainAndBiasPerClass(architecture: GANArchitecture) {
        let plain = GANModels(architecture: architecture, height: 32, width: 32, channels: 1, latentSize: 8, featureMaps: 4, classes: 3)
        let models = GANModels(architecture: architecture, height: 32, width: 32, channels: 1, latentSize: 8, featureMaps: 4, classes: 3,
                               classBatchNorm: true)
        let norms = models.generator.layers.compactMap { $0 as? BatchNorm }
        #expect(!norms.isEmpty && norms.allSatisfy { $0.classes == 3 })
        #expect(models.discriminator.layers.compactMap { $0 as? BatchNorm }.allSatisfy { $0.classes == 0 })
        // Two more rows of gain and bias per generator BatchNorm; the discriminator is the plain one.
        let features = norms.reduce(0) { $0 + $1.features }
        #expect(models.generator.parameterCount - plain.generator.parameterCount == 2 * 2 * features)
        #expect(models.discriminator.parameterCount == plain.discriminator.parameterCount)
        // The class reaches every norm: generated as class 1, only row 1 of each gain and bias
        // has a gradient; the standing statistics (classes in turn) run through them.
        var random = SeededGenerator(seed: 1)
        let z = Tensor(shape: [2, 8])
        random.fillNormal(z)
        let y = models.generator.generate(noise: z, labels: [1, 1], training: true)
        let dy = Tensor(shape: y.shape)
        random.fillNormal(dy)
        models.generator.zeroGradients()
        models.generator.backward(dy)
        for norm in norms {
            let g = norm.gamma.gradient.array, f = norm.features
            #expect(g[0..<f].allSatisfy { $0 == 0 } && g[(2 * f)...].allSatisfy { $0 == 0 } && g[f..<(2 * f)].contains { $0 != 0 })
        }
        StandingStatistics.recompute(models.generator, latent: 8, classes: 3)
        #expect(norms.allSatisfy { $0.movingVariance.value.array.allSatisfy { $0.isFinite && $0 > 0 } })
    }
}
