import Support

/// Zeroes a fraction `rate` of its inputs in training and scales the rest by
/// 1 / (1 - rate); the identity in inference. Seeded, so runs repeat.
public final class Dropout: Layer {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    /// The share of values dropped in training.
    public let rate: Float
    /// Draws the masks: part of the training state.
    public var generator: SeededGenerator
    private var mask: Tensor?
    private var output: Tensor?
    private var inputGradient: Tensor?
    private var lastTraining = false

    /// Drops `rate` of the values in training, masks drawn from `seed`.
    public init(name: String, rate: Float, seed: UInt64) {
        precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
        self.name = name
        self.rate = rate
        generator = SeededGenerator(seed: seed)
    }

    /// The output has the input's shape.
    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    /// Training: each value kept with probability 1 - rate and scaled by 1 / (1 - rate),
    /// else 0 (the mask drawn from `generator`); inference: the input unchanged.
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

    /// The gradient with respect to the last forward pass's input (nil unless
    /// `needsInputGradient`), from the gradient `dy` of its output; adds the
    /// parameters' gradients to theirs when `accumulateParameterGradients`.
    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        guard lastTraining, rate > 0, let m = mask else { return dy }
        let dx = reuse(inputGradient, dy.shape)
        inputGradient = dx
        for i in 0..<dy.count { dx.data[i] = dy.data[i] * m.data[i] }
        return dx
    }
}
