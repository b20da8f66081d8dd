import LinearAlgebra
/// A fully connected layer: y = x W + b.
///
/// Input [B, inputSize], output [B, units]; `kernel` is [inputSize, units].
public final class Dense: Layer {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    /// Input features.
    public let inputSize: Int
    /// Output features.
    public let units: Int
    /// The weights, zero until the model initialises them (GANModels: Glorot-uniform for the mlp, N(0, 0.02) for DCGAN).
    public let kernel: Parameter
    /// One bias per output unit or filter, starting at 0.
    public let bias: Parameter
    private var input: Tensor?
    private var output: Tensor?
    private var inputGradient: Tensor?

    /// A dense layer from `inputSize` to `units` (weights zero until initialised).
    public init(name: String, inputSize: Int, units: Int) {
        self.name = name
        self.inputSize = inputSize
        self.units = units
        kernel = Parameter(name: name + "/kernel", shape: [inputSize, units])
        bias = Parameter(name: name + "/bias", shape: [units])
    }

    /// The trained parameters, in checkpoint order.
    public var parameters: [Parameter] { [kernel, bias] }

    /// [B, inputSize] to [B, units].
    public func outputShape(for inputShape: [Int]) -> [Int] { [inputShape[0], units] }

    /// Floating-point operations of one forward pass on `inputShape` (for speed reports).
    public func forwardFLOPs(inputShape: [Int]) -> Double { 2 * Double(inputShape[0] * inputSize * units) }

    /// y = x · kernel + bias, [B, inputSize] to [B, units] (one GEMM).
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.shape.count == 2 && x.shape[1] == inputSize, "\(name): input \(x.shape), expected [B, \(inputSize)]")
        let b = x.shape[0]
        let y = reuse(output, [b, units])
        output = y
        input = x
        // y = broadcast(bias), then y += x W.
        for r in 0..<b { (y.data + r * units).update(from: bias.value.data, count: units) }
        BLAS.gemm(m: b, n: units, k: inputSize, a: x.data, lda: inputSize, b: kernel.value.data, ldb: units,
                  beta: 1, c: y.data, ldc: units)
        return y
    }

    /// The gradient with respect to the last forward pass's input (nil unless
    /// `needsInputGradient`), from the gradient `dy` of its output; adds the
    /// parameters' gradients to theirs when `accumulateParameterGradients`.
    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard let x = input else { preconditionFailure("\(name): backward before forward") }
        let b = x.shape[0]
        precondition(dy.shape == [b, units], "\(name): output gradient \(dy.shape), expected [\(b), \(units)]")
        if accumulateParameterGradients {
            // dW += xᵀ dy; db += column sums of dy.
            BLAS.gemm(transposeA: true, m: inputSize, n: units, k: b, a: x.data, lda: inputSize, b: dy.data, ldb: units,
                      beta: 1, c: kernel.gradient.data, ldc: units)
            let db = bias.gradient.data
            for r in 0..<b {
                let row = dy.data + r * units
                for j in 0..<units { db[j] += row[j] }
            }
        }
        guard needsInputGradient else { return nil }
        let dx = reuse(inputGradient, [b, inputSize])
        inputGradient = dx
        BLAS.gemm(transposeB: true, m: b, n: inputSize, k: units, a: dy.data, lda: units, b: kernel.value.data, ldb: units,
                  c: dx.data, ldc: inputSize)
        return dx
    }
}
