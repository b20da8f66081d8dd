import Support

/// [B, ...] to [B, product(...)]; no copy.
public final class Flatten: Layer {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    private var inputShape: [Int] = []

    /// A layer named `name` (it has no parameters).
    public init(name: String) { self.name = name }

    /// [B, d1, d2, ...] to [B, d1 * d2 * ...].
    public func outputShape(for inputShape: [Int]) -> [Int] { [inputShape[0], inputShape.dropFirst().reduce(1, *)] }

    /// The same values as [B, features].
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        inputShape = x.shape
        return x.reshaped(outputShape(for: x.shape))
    }

    /// The gradient with respect to the last forward pass's input (nil unless
    /// `needsInputGradient`), from the gradient `dy` of its output; adds the
    /// parameters' gradients to theirs when `accumulateParameterGradients`.
    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        needsInputGradient ? dy.reshaped(inputShape) : nil
    }
}
