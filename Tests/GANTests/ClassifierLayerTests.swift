import Foundation
import GAN
import Support
import Testing

@Suite struct ClassifierLayerTests {
    @Test func globalAveragePoolingGradients() {
        var checker = GradientChecker()
        let layer = GlobalAveragePooling(name: "gap")
        checker.check(layer, input: checker.tensor([2, 3, 4, 5]))
        // Each output is its channel's mean.
        let x = Tensor(shape: [1, 2, 1, 2], values: [1, 10, 3, 20])
        #expect(layer.forward(x, training: false).array == [2, 15])
    }

    @Test func softmaxCrossEntropyGradientsAndValues() {
        var random = SeededGenerator(seed: 8)
        let loss = SoftmaxCrossEntropy()
        let (b, k) = (5, 4)
        let z = Tensor(shape: [b, k])
        // Large logits too: the max-subtracted form must not overflow.
        for i in 0..<z.count { z.data[i] = random.nextNormal() * (i % 7 == 0 ? 40 : 2) }
        let targets: [Int32] = [0, 3, 1, 2, 3]
        let g = Tensor(shape: [b, k])
        let value = loss(z, targets: targets, gradient: g)
        // Independent value: the mean of -log(softmax) in Double.
        var expected = 0.0
        for n in 0..<b {
            let row = (0..<k).map { Double(z.data[n * k + $0]) }
            let m = row.max()!
            let logSum = log(row.map { exp($0 - m) }.reduce(0, +)) + m
            expected += logSum - row[Int(targets[n])]
        }
        expected /= Double(b)
        #expect(abs(Double(value) - expected) <= 1e-5 * max(1, expected), "\(value) vs \(expected)")
        // Gradient by central differences, entry by entry, with the checker's tolerance.
        let scratch = Tensor(shape: [b, k])
        let h: Float = 1e-2
        for i in 0..<z.count {
            let saved = z.data[i]
            z.data[i] = saved + h
            let plus = Double(loss(z, targets: targets, gradient: scratch))
            z.data[i] = saved - h
            let minus = Double(loss(z, targets: targets, gradient: scratch))
            z.data[i] = saved
            let numeric = (plus - minus) / (2 * Double(h))
            let analytic = Double(g.data[i])
            #expect(abs(analytic - numeric) <= 2e-4 + 5e-3 * max(abs(analytic), abs(numeric)), "[\(i)] analytic \(analytic), numeric \(numeric)")
        }
        // Each row's gradient sums to zero; the predictions are the row maxima.
        for n in 0..<b { #expect(abs((0..<k).map { g.data[n * k + $0] }.reduce(0, +)) < 1e-6) }
        let picked = SoftmaxCrossEntropy.predictions(z)
        for n in 0..<b { #expect((0..<k).allSatisfy { z.data[n * k + $0] <= z.data[n * k + Int(picked[n])] }) }
    }
}
