import Support
/// Views its input under another shape (batch kept); no copy.
public final class Reshape: Layer {
    public let name: String
    /// The target shape without the batch dimension.
    public let targetShape: [Int]
    private var inputShape: [Int] = []

    public init(name: String, to targetShape: [Int]) {
        self.name = name
        self.targetShape = targetShape
    }

    public func outputShape(for inputShape: [Int]) -> [Int] { [inputShape[0]] + targetShape }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.count == x.shape[0] * targetShape.reduce(1, *), "\(name): cannot reshape \(x.shape) to [B] + \(targetShape)")
        inputShape = x.shape
        return x.reshaped([x.shape[0]] + targetShape)
    }

    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        needsInputGradient ? dy.reshaped(inputShape) : nil
    }
}
