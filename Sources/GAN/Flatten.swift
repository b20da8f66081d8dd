import Support

/// [B, ...] to [B, product(...)]; no copy.
public final class Flatten: Layer {
    public let name: String
    private var inputShape: [Int] = []

    public init(name: String) { self.name = name }

    public func outputShape(for inputShape: [Int]) -> [Int] { [inputShape[0], inputShape.dropFirst().reduce(1, *)] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        inputShape = x.shape
        return x.reshaped(outputShape(for: x.shape))
    }

    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        needsInputGradient ? dy.reshaped(inputShape) : nil
    }
}
