import Foundation

/// An element-wise activation layer: y = f(x), dx = dy * f'(x). A conforming
/// type gives `apply` and `derive`; forward and backward come from here.
public protocol ElementwiseActivation: Layer {
    /// What forward keeps for backward.
    var buffers: ActivationBuffers { get }
    /// y[i] = f(x[i]) for i in 0..<n.
    func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int)
    /// dx[i] = dy[i] * f'(x[i]), given x and y = f(x).
    func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int)
}

/// The tensors an activation keeps between its passes (reused across steps).
public final class ActivationBuffers {
    var input: Tensor?
    var output: Tensor?
    var inputGradient: Tensor?
    /// Buffers allocated at the first pass, reused for every batch size up to the largest.
    public init() {}
}

extension ElementwiseActivation {
    /// Elements per thread below which a pass stays on one thread.
    static var minimumChunk: Int { 1 << 16 }

    /// The output has the input's shape.
    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    /// y = f(x) element by element (the activation's `apply`), threads over chunks.
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = reuse(buffers.output, x.shape)
        buffers.output = y
        buffers.input = x
        let xs = x.data, ys = y.data
        forEachChunk(x.count, minimumChunk: Self.minimumChunk) { range in
            apply(xs + range.lowerBound, ys + range.lowerBound, range.count)
        }
        return y
    }

    /// The gradient with respect to the last forward pass's input (nil unless
    /// `needsInputGradient`), from the gradient `dy` of its output; adds the
    /// parameters' gradients to theirs when `accumulateParameterGradients`.
    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        guard let x = buffers.input, let y = buffers.output else { preconditionFailure("\(name): backward before forward") }
        precondition(dy.count == x.count, "\(name): output gradient \(dy.shape), expected \(x.shape)")
        let dx = reuse(buffers.inputGradient, x.shape)
        buffers.inputGradient = dx
        let xs = x.data, ys = y.data, dys = dy.data, dxs = dx.data
        forEachChunk(x.count, minimumChunk: Self.minimumChunk) { range in
            let i = range.lowerBound
            derive(xs + i, ys + i, dys + i, dxs + i, range.count)
        }
        return dx
    }
}

/// A sigmoid that never overflows exp.
@inline(__always)
func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + expf(-x)) }
    let e = expf(x)
    return e / (1 + e)
}
