import Foundation

/// 1 / (1 + exp(-x)), the original discriminator's output probability.
public final class Sigmoid: ElementwiseActivation {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    /// The output and gradient buffers, reused across batches.
    public let buffers = ActivationBuffers()
    /// A layer named `name` (it has no parameters).
    public init(name: String) { self.name = name }
    /// y = 1 / (1 + exp(-x)) over `n` values.
    public func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = stableSigmoid(x[i]) }
    }
    /// dx = dy y (1 - y), from the forward pass's output y.
    public func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { dx[i] = dy[i] * y[i] * (1 - y[i]) }
    }
}
