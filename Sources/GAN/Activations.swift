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
    public init() {}
}

extension ElementwiseActivation {
    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = reuse(buffers.output, x.shape)
        buffers.output = y
        buffers.input = x
        apply(x.data, y.data, x.count)
        return y
    }

    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        guard let x = buffers.input, let y = buffers.output else { preconditionFailure("\(name): backward before forward") }
        precondition(dy.count == x.count, "\(name): output gradient \(dy.shape), expected \(x.shape)")
        let dx = reuse(buffers.inputGradient, x.shape)
        buffers.inputGradient = dx
        derive(x.data, y.data, dy.data, dx.data, x.count)
        return dx
    }
}

/// max(x, alpha * x), alpha 0.2 in the original GAN.
public final class LeakyReLU: ElementwiseActivation {
    public let name: String
    public let alpha: Float
    public let buffers = ActivationBuffers()
    public init(name: String, alpha: Float = 0.2) {
        self.name = name
        self.alpha = alpha
    }
    public func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = alpha
        for i in 0..<n { let v = x[i]; y[i] = v > 0 ? v : a * v }
    }
    public func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = alpha
        for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : a * dy[i] }
    }
}

/// max(x, 0).
public final class ReLU: ElementwiseActivation {
    public let name: String
    public let buffers = ActivationBuffers()
    public init(name: String) { self.name = name }
    public func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = Swift.max(x[i], 0) }
    }
    public func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : 0 }
    }
}

/// tanh(x), the generator's output in [-1, 1].
public final class Tanh: ElementwiseActivation {
    public let name: String
    public let buffers = ActivationBuffers()
    public init(name: String) { self.name = name }
    public func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = tanhf(x[i]) }
    }
    public func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { dx[i] = dy[i] * (1 - y[i] * y[i]) }
    }
}

/// 1 / (1 + exp(-x)), the original discriminator's output probability.
public final class Sigmoid: ElementwiseActivation {
    public let name: String
    public let buffers = ActivationBuffers()
    public init(name: String) { self.name = name }
    public func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = stableSigmoid(x[i]) }
    }
    public func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { dx[i] = dy[i] * y[i] * (1 - y[i]) }
    }
}

/// A sigmoid that never overflows exp.
@inline(__always)
func stableSigmoid(_ x: Float) -> Float {
    if x >= 0 { return 1 / (1 + expf(-x)) }
    let e = expf(x)
    return e / (1 + e)
}
