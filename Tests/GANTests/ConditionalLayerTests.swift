import Foundation
import GAN
import Support
import Testing

/// The layers and the class sampling of class-conditional GANs.
@Suite struct ConditionalLayerTests {
    @Test func classInputGradientsAndOneHotColumns() {
        var checker = GradientChecker()
        let layer = ClassConditionInput(name: "class_input", latentSize: 5, classes: 3)
        layer.labels = [2, 0, 1, 2]
        let x = checker.tensor([4, 5])
        checker.check(layer, input: x)
        let y = layer.forward(x, training: true)
        #expect(y.shape == [4, 8])
        for r in 0..<4 {
            #expect(Array(y.array[(r * 8)..<(r * 8 + 5)]) == Array(x.array[(r * 5)..<(r * 5 + 5)]))
            #expect(Array(y.array[(r * 8 + 5)..<(r * 8 + 8)]) == (0..<3).map { $0 == Int(layer.labels[r]) ? 1 : 0 })
        }
    }

    @Test func classInputFollowedByDenseGradients() {
        // The class reaches the next layer: its gradient through both, by finite differences of the pair.
        var checker = GradientChecker()
        let dense = Dense(name: "dense", inputSize: 7, units: 4)
        checker.randomize(dense)
        let input = ClassConditionInput(name: "class_input", latentSize: 4, classes: 3)
        input.labels = [1, 2, 0]
        let model = Sequential(name: "g", layers: [input, dense])
        checker.check(SequentialLayer(model), input: checker.tensor([3, 4]))
    }

    @Test(arguments: [1, 3])
    func projectionGradients(classes: Int) {
        var checker = GradientChecker()
        let layer = ClassProjection(name: "projection", inputSize: 6, classes: classes)
        checker.randomize(layer)
        layer.labels = (0..<5).map { Int32($0 % classes) }
        checker.check(layer, input: checker.tensor([5, 6]), samples: 40)
    }

    @Test func projectionAddsTheClassEmbeddingsInnerProduct() {
        let layer = ClassProjection(name: "projection", inputSize: 3, classes: 2)
        layer.kernel.value.copy(from: Tensor(shape: [3, 1], values: [1, 0, -1]))
        layer.bias.value.data[0] = 0.5
        layer.embedding.value.copy(from: Tensor(shape: [2, 3], values: [0, 0, 0, 2, 2, 2]))
        let h = Tensor(shape: [2, 3], values: [1, 2, 3, 1, 2, 3])
        layer.labels = [0, 1]
        let y = layer.forward(h, training: true).array
        // h·w + b = 1 - 3 + 0.5 = -1.5; class 1 adds h·(2, 2, 2) = 12.
        #expect(y == [-1.5, 10.5])
    }

    @Test func classDistributionDrawsInProportionAndEvenlySkipsEmptyClasses() {
        var random = SeededGenerator(seed: 3)
        let counts = [600, 300, 0, 100]
        let draws = ClassDistribution(counts: counts, balance: .frequency).draw(100_000, using: &random)
        var seen = [Int](repeating: 0, count: 4)
        for d in draws { seen[Int(d)] += 1 }
        // Binomial standard deviation at 100,000 draws is at most 158: 5 of them.
        for (c, expected) in [60_000, 30_000, 0, 10_000].enumerated() { #expect(abs(seen[c] - expected) < 800, "class \(c): \(seen[c])") }
        let even = ClassDistribution(counts: counts, balance: .uniform)
        let third: Double = 1.0 / 3
        #expect(even.probabilities == [third, third, 0, third])
        let evenDraws = even.draw(30_000, using: &random)
        #expect(!evenDraws.contains(2))
        for c in [0, 1, 3] { #expect(abs(evenDraws.filter { $0 == Int32(c) }.count - 10_000) < 500) }
    }

    @Test(arguments: [GANArchitecture.mlp, .dcgan])
    func conditionalModelsTakeTheClass(architecture: GANArchitecture) {
        let models = GANModels(architecture: architecture, height: 32, width: 32, channels: 1, latentSize: 8, featureMaps: 4, classes: 3)
        #expect(models.classes == 3 && models.generator.conditionClasses == 3 && models.discriminator.conditionClasses == 3)
        var random = SeededGenerator(seed: 1)
        let z = Tensor(shape: [2, 8])
        random.fillNormal(z)
        // The same noise drawn as two classes gives two images; the discriminator scores one image differently per class.
        let a = models.generator.generate(noise: z, labels: [0, 0]).array
        let b = models.generator.generate(noise: z, labels: [2, 2]).array
        #expect(a != b)
        let image = Tensor(shape: [2, 32, 32, 1], values: a)
        models.discriminator.setClassLabels([0, 1])
        let scores = models.discriminator.forward(image, training: false).array
        models.discriminator.setClassLabels([1, 0])
        let swapped = models.discriminator.forward(image, training: false).array
        #expect(scores != swapped)
        let unconditional = GANModels(architecture: architecture, height: 32, width: 32, channels: 1, latentSize: 8, featureMaps: 4)
        #expect(unconditional.classes == 0 && unconditional.generator.conditionClasses == nil)
        // Only the first layer's input and the logit layer grow: 3 one-hot inputs and a 3-row embedding.
        let extra = models.generator.parameterCount + models.discriminator.parameterCount
            - unconditional.generator.parameterCount - unconditional.discriminator.parameterCount
        let first = models.generator.layers[1] as! Dense
        let projection = models.discriminator.layers.compactMap { $0 as? ClassProjection }.first!
        #expect(extra == 3 * first.units + 3 * projection.inputSize)
    }
}

/// A model checked as one layer (its first layer's input gradient and every parameter).
final class SequentialLayer: Layer {
    let model: Sequential
    init(_ model: Sequential) { self.model = model }
    var name: String { model.name }
    func outputShape(for inputShape: [Int]) -> [Int] { model.outputShape(for: inputShape) }
    func forward(_ input: Tensor, training: Bool) -> Tensor { model.forward(input, training: training) }
    func backward(_ outputGradient: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        model.backward(outputGradient, needsInputGradient: needsInputGradient)
    }
    var parameters: [Parameter] { model.parameters }
}
