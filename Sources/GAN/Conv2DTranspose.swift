import LinearAlgebra
/// A transposed 2-D convolution ("deconvolution") over NHWC input: the
/// adjoint of a `Conv2D` with the same kernel, stride and padding, computed
/// as one GEMM + col2im. With `same` padding the output is input x stride.
///
/// Input [B, H, W, inputChannels], output [B, H', W', filters]; `kernel` is
/// [KH, KW, filters, inputChannels] (Keras's layout), `bias` [filters].
public final class Conv2DTranspose: Layer {
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
    private var inputGradient: Tensor?
    private var input: Tensor?

    /// A `kernelSize` x `kernelSize` transposed convolution from `inputChannels` to `filters` channels (weights zero until initialised).
    public init(name: String, inputChannels: Int, filters: Int, kernelSize: Int, stride: Int = 2, padding: Padding = .same, useBias: Bool = true) {
        self.name = name
        self.inputChannels = inputChannels
        self.filters = filters
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.useBias = useBias
        kernel = Parameter(name: name + "/kernel", shape: [kernelSize, kernelSize, filters, inputChannels])
        bias = Parameter(name: name + "/bias", shape: [filters])
    }

    /// The trained parameters, in checkpoint order.
    public var parameters: [Parameter] { useBias ? [kernel, bias] : [kernel] }

    /// The geometry of the forward convolution from this layer's output back to its input.
    func geometry(for shape: [Int]) -> ConvGeometry {
        precondition(shape.count == 4 && shape[3] == inputChannels, "\(name): input \(shape), expected [B, H, W, \(inputChannels)]")
        let (h, w) = (shape[1], shape[2])
        let (oh, ow) = padding == .same ? (h * stride, w * stride) : ((h - 1) * stride + kernelSize, (w - 1) * stride + kernelSize)
        let g = ConvGeometry(height: oh, width: ow, channels: filters, kernelHeight: kernelSize, kernelWidth: kernelSize,
                             stride: stride, padding: padding)
        precondition(g.outputHeight == h && g.outputWidth == w, "\(name): inconsistent transposed geometry")
        return g
    }

    /// [B, H, W, inputChannels] to [B, H * stride, W * stride, filters] with `.same` padding.
    public func outputShape(for inputShape: [Int]) -> [Int] {
        let g = geometry(for: inputShape)
        return [inputShape[0], g.height, g.width, filters]
    }

    /// Floating-point operations of one forward pass on `inputShape` (for speed reports).
    public func forwardFLOPs(inputShape: [Int]) -> Double {
        let g = geometry(for: inputShape)
        return 2 * Double(inputShape[0] * g.positions * g.patchSize * inputChannels)
    }

    /// The transposed convolution (the gradient of `Conv2D` with respect to its input) as GEMM and col2im, plus bias.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let g = geometry(for: x.shape)
        geometry = g
        input = x
        let b = x.shape[0]
        let rows = b * g.positions
        let patches = reuse(cols, [rows, g.patchSize])
        cols = patches
        // cols = x Wᵀ: each input pixel spreads into a KH x KW x filters patch.
        BLAS.gemm(transposeB: true, m: rows, n: g.patchSize, k: inputChannels, a: x.data, lda: inputChannels,
                  b: kernel.value.data, ldb: inputChannels, c: patches.data, ldc: g.patchSize)
        let y = reuse(output, [b, g.height, g.width, filters])
        output = y
        if useBias {
            let pixels = b * g.height * g.width
            for p in 0..<pixels { (y.data + p * filters).update(from: bias.value.data, count: filters) }
        } else {
            y.fill(0)
        }
        g.col2imAdd(patches.data, batch: b, into: y.data)
        return y
    }

    /// The gradient with respect to the last forward pass's input (nil unless
    /// `needsInputGradient`), from the gradient `dy` of its output; adds the
    /// parameters' gradients to theirs when `accumulateParameterGradients`.
    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard let g = geometry, let x = input, let patches = cols else { preconditionFailure("\(name): backward before forward") }
        let b = x.shape[0]
        let rows = b * g.positions
        precondition(dy.count == b * g.height * g.width * filters, "\(name): output gradient \(dy.shape) does not match the output")
        // The patch matrix of dy, reusing the forward patch buffer.
        g.im2col(dy.data, batch: b, into: patches.data)
        if accumulateParameterGradients {
            // dW += dcolsᵀ x: [KH*KW*filters, inputChannels].
            BLAS.gemm(transposeA: true, m: g.patchSize, n: inputChannels, k: rows, a: patches.data, lda: g.patchSize,
                      b: x.data, ldb: inputChannels, beta: 1, c: kernel.gradient.data, ldc: inputChannels)
            if useBias { addColumnSums(dy.data, rows: b * g.height * g.width, columns: filters, into: bias.gradient.data) }
        }
        guard needsInputGradient else { return nil }
        let dx = reuse(inputGradient, x.shape)
        inputGradient = dx
        BLAS.gemm(m: rows, n: inputChannels, k: g.patchSize, a: patches.data, lda: g.patchSize,
                  b: kernel.value.data, ldb: inputChannels, c: dx.data, ldc: inputChannels)
        return dx
    }
}
