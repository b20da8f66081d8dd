import Support

/// Zeroes a fraction `rate` of its inputs in training and scales the rest by
/// 1 / (1 - rate); the identity in inference. Seeded, so runs repeat.
public final class Dropout: Layer {
    public let name: String
    public let rate: Float
    public var generator: SeededGenerator
    private var mask: Tensor?
    private var output: Tensor?
    private var inputGradient: Tensor?
    private var lastTraining = false

    public init(name: String, rate: Float, seed: UInt64) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        self.name = name
        self.rate = rate
        generator = SeededGenerator(seed: seed)
    }

    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        lastTraining = training
        guard training, rate > 0 else { return x }
        let m = reuse(mask, x.shape)
        mask = m
        let y = reuse(output, x.shape)
        output = y
        let keep = 1 / (1 - rate)
        for i in 0..<x.count {
            m.data[i] = generator.nextUniform() >= rate ? keep : 0
            y.data[i] = x.data[i] * m.data[i]
        }
        return y
    }

    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        guard lastTraining, rate > 0, let m = mask else { return dy }
        let dx = reuse(inputGradient, dy.shape)
        inputGradient = dx
        for i in 0..<dy.count { dx.data[i] = dy.data[i] * m.data[i] }
        return dx
    }
}
