/// [B, H, W, C] to [B, C]: each channel's mean over the image.
public final class GlobalAveragePooling: Layer {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    private var inputShape: [Int] = []
    private var output: Tensor?
    private var inputGradient: Tensor?

    /// A layer named `name` (it has no parameters).
    public init(name: String) { self.name = name }

    /// [B, H, W, C] to [B, C].
    public func outputShape(for inputShape: [Int]) -> [Int] { [inputShape[0], inputShape[3]] }

    /// y[b, c] = the mean of x[b, :, :, c].
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 4, "\(name): input \(x.shape), expected [B, H, W, C]")
        inputShape = x.shape
        let (b, pixels, c) = (x.shape[0], x.shape[1] * x.shape[2], x.shape[3])
        let y = reuse(output, [b, c])
        output = y
        y.fill(0)
        let scale = 1 / Float(pixels)
        for n in 0..<b {
            let image = x.data + n * pixels * c
            let row = y.data + n * c
            for p in 0..<pixels {
                let pixel = image + p * c
                for k in 0..<c { row[k] += pixel[k] }
            }
            for k in 0..<c { row[k] *= scale }
        }
        return y
    }

    /// The gradient with respect to the last forward pass's input (nil unless
    /// `needsInputGradient`), from the gradient `dy` of its output; adds the
    /// parameters' gradients to theirs when `accumulateParameterGradients`.
    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        let (b, pixels, c) = (inputShape[0], inputShape[1] * inputShape[2], inputShape[3])
        precondition(dy.shape == [b, c], "\(name): output gradient \(dy.shape), expected [\(b), \(c)]")
        let dx = reuse(inputGradient, inputShape)
        inputGradient = dx
        let scale = 1 / Float(pixels)
        for n in 0..<b {
            let row = dy.data + n * c
            let image = dx.data + n * pixels * c
            for p in 0..<pixels {
                let pixel = image + p * c
                for k in 0..<c { pixel[k] = row[k] * scale }
            }
        }
        return dx
    }

    /// Floating-point operations of one forward pass on `inputShape` (for speed reports).
    public func forwardFLOPs(inputShape: [Int]) -> Double { Double(inputShape.reduce(1, *)) }
}
