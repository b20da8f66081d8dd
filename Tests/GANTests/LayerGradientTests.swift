import Foundation
import GAN
import Support
import Testing

@Suite struct LayerGradientTests {
    @Test func dense() {
        var checker = GradientChecker()
        let layer = Dense(name: "dense", inputSize: 7, units: 5)
        checker.randomize(layer)
        checker.check(layer, input: checker.tensor([4, 7]))
    }

    @Test(arguments: [(1, Padding.same, true), (2, .same, true), (2, .valid, false), (1, .valid, true)])
    func conv2D(stride: Int, padding: Padding, bias: Bool) {
        var checker = GradientChecker()
        let layer = Conv2D(name: "conv", inputChannels: 3, filters: 4, kernelSize: 3, stride: stride, padding: padding, useBias: bias)
        checker.randomize(layer)
        checker.check(layer, input: checker.tensor([2, 7, 6, 3]), samples: 30)
    }

    @Test(arguments: [(2, Padding.same, 4), (2, Padding.valid, 3), (1, Padding.same, 3)])
    func conv2DTranspose(stride: Int, padding: Padding, kernel: Int) {
        var checker = GradientChecker()
        let layer = Conv2DTranspose(name: "deconv", inputChannels: 3, filters: 2, kernelSize: kernel, stride: stride, padding: padding)
        checker.randomize(layer)
        checker.check(layer, input: checker.tensor([2, 4, 3, 3]), samples: 30)
    }

    @Test func batchNormTrainingOn2DAnd4D() {
        var checker = GradientChecker()
        checker.step = 3e-3
        let dense = BatchNorm(name: "bn2d", features: 5, momentum: 0.8)
        checker.random.fillNormal(dense.gamma.value, mean: 1, std: 0.3)
        checker.random.fillNormal(dense.beta.value, std: 0.3)
        checker.check(dense, input: checker.tensor([6, 5], scale: 2))
        let conv = BatchNorm(name: "bn4d", features: 3)
        checker.random.fillNormal(conv.gamma.value, mean: 1, std: 0.3)
        checker.check(conv, input: checker.tensor([2, 3, 4, 3]))
    }

    @Test func batchNormInference() {
        var checker = GradientChecker()
        let layer = BatchNorm(name: "bn", features: 4)
        checker.random.fillNormal(layer.movingMean.value, std: 1)
        layer.movingVariance.value.fill(2)
        checker.random.fillNormal(layer.gamma.value, mean: 1, std: 0.3)
        checker.check(layer, input: checker.tensor([5, 4]), training: false)
    }

    @Test func activations() {
        var checker = GradientChecker()
        checker.step = 1e-3
        for layer in [LeakyReLU(name: "leaky", alpha: 0.2), ReLU(name: "relu"), Tanh(name: "tanh"), Sigmoid(name: "sigmoid")] as [Layer] {
            checker.check(layer, input: checker.tensor([3, 8], awayFromZero: true))
        }
    }

    @Test func reshapeAndFlattenPassGradientsThrough() {
        var checker = GradientChecker()
        checker.check(Reshape(name: "reshape", to: [2, 3]), input: checker.tensor([4, 6]))
        checker.check(Flatten(name: "flatten"), input: checker.tensor([2, 3, 2, 2]))
    }

    @Test func dropoutIsSeededScaledAndMasksItsGradient() {
        let x = Tensor(shape: [4, 50])
        x.fill(1)
        let a = Dropout(name: "drop", rate: 0.4, seed: 7), b = Dropout(name: "drop", rate: 0.4, seed: 7)
        let ya = a.forward(x, training: true).array, yb = b.forward(x, training: true).array
        #expect(ya == yb, "same seed, same mask")
        let kept = ya.filter { $0 != 0 }
        #expect(kept.allSatisfy { abs($0 - 1 / 0.6) < 1e-6 })
        #expect(kept.count > 80 && kept.count < 160)
        let dy = Tensor(shape: [4, 50])
        dy.fill(2)
        let dx = a.backward(dy, needsInputGradient: true, accumulateParameterGradients: true)!.array
        for i in 0..<200 { #expect(dx[i] == ya[i] * 2) }
        #expect(a.forward(x, training: false).array == x.array, "identity in inference")
    }

    @Test func binaryCrossEntropyGradients() {
        var random = SeededGenerator(seed: 3)
        for fromLogits in [true, false] {
            for smoothing: Float in [0, 0.1] {
                let loss = BinaryCrossEntropy(fromLogits: fromLogits, labelSmoothing: smoothing)
                let p = Tensor(shape: [6, 1])
                let t = Tensor(shape: [6, 1], values: [1, 0, 1, 1, 0, 0])
                for i in 0..<6 { p.data[i] = fromLogits ? random.nextNormal() * 2 : 0.1 + 0.8 * random.nextUniform() }
                let g = Tensor(shape: [6, 1])
                _ = loss(p, targets: t, gradient: g)
                let scratch = Tensor(shape: [6, 1])
                for i in 0..<6 {
                    let h: Float = 1e-3
                    let saved = p.data[i]
                    p.data[i] = saved + h
                    let plus = Double(loss(p, targets: t, gradient: scratch))
                    p.data[i] = saved - h
                    let minus = Double(loss(p, targets: t, gradient: scratch))
                    p.data[i] = saved
                    let numeric = (plus - minus) / (2 * Double(h))
                    #expect(abs(numeric - Double(g.data[i])) < 2e-3, "logits \(fromLogits) smoothing \(smoothing) [\(i)]")
                }
            }
        }
        // The two forms agree: BCE(sigmoid(z)) == BCE_logits(z).
        let z = Tensor(shape: [3, 1], values: [-2, 0.5, 3])
        let p = Tensor(shape: [3, 1], values: z.array.map { 1 / (1 + expf(-$0)) })
        let t = Tensor(shape: [3, 1], values: [1, 0, 1])
        let g = Tensor(shape: [3, 1])
        let a = BinaryCrossEntropy(fromLogits: true)(z, targets: t, gradient: g)
        let b = BinaryCrossEntropy(fromLogits: false)(p, targets: t, gradient: g)
        #expect(abs(a - b) < 1e-5)
    }
}
