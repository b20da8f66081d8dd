import GAN
import Support
import Testing

/// A dense layer whose input gradient is wrong by `offset` at one entry.
private final class Miscomputed: Layer {
    let inner: Dense
    let index: Int
    let offset: Float
    init(_ inner: Dense, index: Int, offset: Float) {
        self.inner = inner
        self.index = index
        self.offset = offset
    }
    var name: String { inner.name }
    var parameters: [Parameter] { inner.parameters }
    func outputShape(for inputShape: [Int]) -> [Int] { inner.outputShape(for: inputShape) }
    func forward(_ input: Tensor, training: Bool) -> Tensor { inner.forward(input, training: training) }
    func backward(_ outputGradient: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        let dx = inner.backward(outputGradient, needsInputGradient: needsInputGradient, accumulateParameterGradients: accumulateParameterGradients)
        dx?.data[index] += offset
        return dx
    }
}

/// The gradient checker itself: it passes a correct layer and fails one
/// whose gradient is off by 1e-3 at a single entry.
@Suite struct GradientCheckerTests {
    @Test(arguments: [0, 5, 17])
    func anEntryOffByOneThousandthFails(index: Int) {
        var checker = GradientChecker()
        let layer = Dense(name: "dense", inputSize: 6, units: 4)
        // Small weights keep every input gradient under 0.16 in magnitude,
        // where an error of 1e-3 is beyond the tolerance.
        checker.randomize(layer, scale: 0.03)
        let input = checker.tensor([4, 6])
        var exact = checker
        #expect(exact.mismatches(layer, input: input, samples: 24).isEmpty)
        let wrong = Miscomputed(layer, index: index, offset: 1e-3)
        var checked = checker
        let problems = checked.mismatches(wrong, input: input, samples: 24)
        #expect(problems.count == 1 && problems.first?.contains("dx[\(index)]") == true, "\(problems)")
    }
}
