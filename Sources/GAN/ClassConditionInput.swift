/// The class input of a conditional generator: each row's class, set in
/// `labels` before `forward`, is appended to its latent vector as a one-hot
/// vector, so the next layer (a Dense) learns one embedding per class
/// (Mirza & Osindero's conditional GAN).
///
/// Input [B, latent], output [B, latent + classes]; no parameters.
public final class ClassConditionInput: Layer {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    /// Noise values per image.
    public let latentSize: Int
    /// Classes the labels index.
    public let classes: Int
    /// The class of each row of the next forward pass (0..<classes).
    public var labels: [Int32] = []
    private var output: Tensor?
    private var inputGradient: Tensor?

    /// Appends a one-hot vector of `classes` to noise of `latentSize` values.
    public init(name: String, latentSize: Int, classes: Int) {
        precondition(classes >= 1, "\(name): a class input needs at least one class")
        self.name = name
        self.latentSize = latentSize
        self.classes = classes
    }

    /// [B, latentSize] to [B, latentSize + classes].
    public func outputShape(for inputShape: [Int]) -> [Int] { [inputShape[0], latentSize + classes] }

    /// [z, onehot(label)]: the noise with each image's class appended as a one-hot vector
    /// (the labels set through `labels` before the pass).
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 2 && x.shape[1] == latentSize, "\(name): input \(x.shape), expected [B, \(latentSize)]")
        let b = x.shape[0]
        precondition(labels.count == b, "\(name): \(labels.count) labels for a batch of \(b)")
        let width = latentSize + classes
        let y = reuse(output, [b, width])
        output = y
        y.fill(0)
        for r in 0..<b {
            let label = Int(labels[r])
            precondition((0..<classes).contains(label), "\(name): label \(label) outside 0..<\(classes)")
            (y.data + r * width).update(from: x.data + r * latentSize, count: latentSize)
            y.data[r * width + latentSize + label] = 1
        }
        return y
    }

    /// The gradient with respect to the last forward pass's input (nil unless
    /// `needsInputGradient`), from the gradient `dy` of its output; adds the
    /// parameters' gradients to theirs when `accumulateParameterGradients`.
    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        let b = dy.shape[0], width = latentSize + classes
        precondition(dy.shape == [b, width], "\(name): output gradient \(dy.shape), expected [\(b), \(width)]")
        let dx = reuse(inputGradient, [b, latentSize])
        inputGradient = dx
        for r in 0..<b { (dx.data + r * latentSize).update(from: dy.data + r * width, count: latentSize) }
        return dx
    }
}
