import LinearAlgebra
/// A 2-D convolution over NHWC input, computed as im2col + one GEMM.
///
/// Input [B, H, W, inputChannels], output [B, OH, OW, filters]; `kernel` is
/// [KH, KW, inputChannels, filters] (Keras's layout), `bias` [filters].
public final class Conv2D: Layer {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    /// Channels of the input images.
    public let inputChannels: Int
    /// Output channels.
    public let filters: Int
    /// The kernel's height and width.
    public let kernelSize: Int
    /// The step between kernel positions (the upsampling factor of the transposed convolution).
    public let stride: Int
    /// `.same` (output size input / stride) or `.valid` (no padding).
    public let padding: Padding
    /// Whether a bias is added (off before a BatchNorm, which has its own shift).
    public let useBias: Bool
    /// The weights, zero until the model initialises them (GANModels: Glorot-uniform for the mlp, N(0, 0.02) for DCGAN).
    public let kernel: Parameter
    /// One bias per output unit or filter, starting at 0.
    public let bias: Parameter
    private var geometry: ConvGeometry?
    private var cols: Tensor?
    private var output: Tensor?
    private var columnGradient: Tensor?
    private var inputGradient: Tensor?
    private var input: Tensor?

    /// A `kernelSize` x `kernelSize` convolution from `inputChannels` to `filters` channels (weights zero until initialised).
    public init(name: String, inputChannels: Int, filters: Int, kernelSize: Int, stride: Int = 1, padding: Padding = .same, useBias: Bool = true) {
        self.name = name
        self.inputChannels = inputChannels
        self.filters = filters
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.useBias = useBias
        kernel = Parameter(name: name + "/kernel", shape: [kernelSize, kernelSize, inputChannels, filters])
        bias = Parameter(name: name + "/bias", shape: [filters])
    }

    /// The trained parameters, in checkpoint order.
    public var parameters: [Parameter] { useBias ? [kernel, bias] : [kernel] }

    func geometry(for shape: [Int]) -> ConvGeometry {
        precondition(shape.count == 4 && shape[3] == inputChannels, "\(name): input \(shape), expected [B, H, W, \(inputChannels)]")
        return ConvGeometry(height: shape[1], width: shape[2], channels: inputChannels, kernelHeight: kernelSize,
                            kernelWidth: kernelSize, stride: stride, padding: padding)
    }

    /// [B, H, W, inputChannels] to [B, H', W', filters], H' = ceil(H / stride) with `.same`
    /// padding, (H - kernelSize) / stride + 1 with `.valid`.
    public func outputShape(for inputShape: [Int]) -> [Int] {
        let g = geometry(for: inputShape)
        return [inputShape[0], g.outputHeight, g.outputWidth, filters]
    }

    /// Floating-point operations of one forward pass on `inputShape` (for speed reports).
    public func forwardFLOPs(inputShape: [Int]) -> Double {
        let g = geometry(for: inputShape)
        return 2 * Double(inputShape[0] * g.positions * g.patchSize * filters)
    }

    /// y = conv(x, kernel) + bias as im2col and one GEMM per chunk of images: [B, H, W, C] to [B, H', W', filters].
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let g = geometry(for: x.shape)
        geometry = g
        input = x
        let b = x.shape[0]
        let rows = b * g.positions
        let patches = reuse(cols, [rows, g.patchSize])
        cols = patches
        let y = reuse(output, [b, g.outputHeight, g.outputWidth, filters])
        output = y
        g.im2col(x.data, batch: b, into: patches.data)
        if useBias {
            for r in 0..<rows { (y.data + r * filters).update(from: bias.value.data, count: filters) }
        }
        BLAS.gemm(m: rows, n: filters, k: g.patchSize, a: patches.data, lda: g.patchSize, b: kernel.value.data, ldb: filters,
                  beta: useBias ? 1 : 0, c: y.data, ldc: filters)
        return y
    }

    /// The gradient with respect to the last forward pass's input (nil unless
    /// `needsInputGradient`), from the gradient `dy` of its output; adds the
    /// parameters' gradients to theirs when `accumulateParameterGradients`.
    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard let g = geometry, let x = input, let patches = cols else { preconditionFailure("\(name): backward before forward") }
        let b = x.shape[0]
        let rows = b * g.positions
        precondition(dy.count == rows * filters, "\(name): output gradient \(dy.shape) does not match the output")
        if accumulateParameterGradients {
            // dW += colsᵀ dy; db += column sums of dy.
            BLAS.gemm(transposeA: true, m: g.patchSize, n: filters, k: rows, a: patches.data, lda: g.patchSize,
                      b: dy.data, ldb: filters, beta: 1, c: kernel.gradient.data, ldc: filters)
            if useBias { addColumnSums(dy.data, rows: rows, columns: filters, into: bias.gradient.data) }
        }
        guard needsInputGradient else { return nil }
        let dcols = reuse(columnGradient, [rows, g.patchSize])
        columnGradient = dcols
        BLAS.gemm(transposeB: true, m: rows, n: g.patchSize, k: filters, a: dy.data, lda: filters,
                  b: kernel.value.data, ldb: filters, c: dcols.data, ldc: g.patchSize)
        let dx = reuse(inputGradient, x.shape)
        inputGradient = dx
        dx.fill(0)
        g.col2imAdd(dcols.data, batch: b, into: dx.data)
        return dx
    }
}

/// Adds the column sums of a row-major [rows, columns] matrix into `sums`.
@inline(__always)
func addColumnSums(_ m: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = m + r * columns
        for j in 0..<columns { sums[j] += row[j] }
    }
}
