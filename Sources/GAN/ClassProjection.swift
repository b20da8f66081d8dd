/// The output of a projection discriminator (Miyato & Koyama, 2018): one
/// logit per row from its pooled features h and its class y,
/// `h · w + b + h · E[y]`, where E holds one learned embedding per class.
/// The class, set in `labels` before `forward`, shifts the logit by how
/// well the features match that class's embedding.
///
/// Input [B, inputSize], output [B, 1]; `kernel` [inputSize, 1], `bias` [1],
/// `embedding` [classes, inputSize].
public final class ClassProjection: Layer {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    /// Features per image.
    public let inputSize: Int
    /// Classes the labels index.
    public let classes: Int
    /// The weights [inputSize, 1], zero until the model initialises them (GANModels).
    public let kernel: Parameter
    /// One bias per output unit or filter, starting at 0.
    public let bias: Parameter
    /// One embedding of `inputSize` values per class, [classes, inputSize].
    public let embedding: Parameter
    /// The class of each row of the next forward pass (0..<classes).
    public var labels: [Int32] = []
    /// The labels of the last forward pass, which its backward pass uses.
    private var forwardLabels: [Int32] = []
    private var input: Tensor?
    private var output: Tensor?
    private var inputGradient: Tensor?

    /// A projection head over `inputSize` features and `classes` classes.
    public init(name: String, inputSize: Int, classes: Int) {
        precondition(classes >= 1, "\(name): a projection needs at least one class")
        self.name = name
        self.inputSize = inputSize
        self.classes = classes
        kernel = Parameter(name: name + "/kernel", shape: [inputSize, 1])
        bias = Parameter(name: name + "/bias", shape: [1])
        embedding = Parameter(name: name + "/class_embedding", shape: [classes, inputSize])
    }

    /// The trained parameters, in checkpoint order.
    public var parameters: [Parameter] { [kernel, bias, embedding] }

    /// [B, inputSize] to [B, 1]: one logit per image.
    public func outputShape(for inputShape: [Int]) -> [Int] { [inputShape[0], 1] }

    /// Floating-point operations of one forward pass on `inputShape` (for speed reports).
    public func forwardFLOPs(inputShape: [Int]) -> Double { 4 * Double(inputShape[0] * inputSize) }

    /// logit = x · kernel + bias + <x, embedding[label]> (Miyato and Koyama's projection
    /// discriminator head), [B, inputSize] to [B, 1].
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 2 && x.shape[1] == inputSize, "\(name): input \(x.shape), expected [B, \(inputSize)]")
        let b = x.shape[0], n = inputSize
        precondition(labels.count == b, "\(name): \(labels.count) labels for a batch of \(b)")
        let y = reuse(output, [b, 1])
        output = y
        input = x
        forwardLabels = labels
        let w = kernel.value.data
        for r in 0..<b {
            let label = Int(labels[r])
            precondition((0..<classes).contains(label), "\(name): label \(label) outside 0..<\(classes)")
            let h = x.data + r * n, e = embedding.value.data + label * n
            var sum: Float = 0
            for j in 0..<n { sum += h[j] * (w[j] + e[j]) }
            y.data[r] = sum + bias.value.data[0]
        }
        return y
    }

    /// The gradient with respect to the last forward pass's input (nil unless
    /// `needsInputGradient`), from the gradient `dy` of its output; adds the
    /// parameters' gradients to theirs when `accumulateParameterGradients`.
    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard let x = input else { preconditionFailure("\(name): backward before forward") }
        let b = x.shape[0], n = inputSize
        precondition(dy.shape == [b, 1], "\(name): output gradient \(dy.shape), expected [\(b), 1]")
        if accumulateParameterGradients {
            let dw = kernel.gradient.data
            for r in 0..<b {
                let g = dy.data[r], h = x.data + r * n
                let de = embedding.gradient.data + Int(forwardLabels[r]) * n
                for j in 0..<n {
                    dw[j] += g * h[j]
                    de[j] += g * h[j]
                }
                bias.gradient.data[0] += g
            }
        }
        guard needsInputGradient else { return nil }
        let dx = reuse(inputGradient, [b, n])
        inputGradient = dx
        let w = kernel.value.data
        for r in 0..<b {
            let g = dy.data[r], d = dx.data + r * n
            let e = embedding.value.data + Int(forwardLabels[r]) * n
            for j in 0..<n { d[j] = g * (w[j] + e[j]) }
        }
        return dx
    }
}
