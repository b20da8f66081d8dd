import Support
/// Views its input under another shape (batch kept); no copy.
public final class Reshape: Layer {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    /// The target shape without the batch dimension.
    public let targetShape: [Int]
    private var inputShape: [Int] = []

    /// Reshapes each image's values to `targetShape`.
    public init(name: String, to targetShape: [Int]) {
        self.name = name
        self.targetShape = targetShape
    }

    /// [B, ...] to [B] + `targetShape` (the same values in the same order).
    public func outputShape(for inputShape: [Int]) -> [Int] { [inputShape[0]] + targetShape }

    /// The same values in `targetShape` per image.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.count == x.shape[0] * targetShape.reduce(1, *), "\(name): cannot reshape \(x.shape) to [B] + \(targetShape)")
        inputShape = x.shape
        return x.reshaped([x.shape[0]] + targetShape)
    }

    /// The gradient with respect to the last forward pass's input (nil unless
    /// `needsInputGradient`), from the gradient `dy` of its output; adds the
    /// parameters' gradients to theirs when `accumulateParameterGradients`.
    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        needsInputGradient ? dy.reshaped(inputShape) : nil
    }
}
