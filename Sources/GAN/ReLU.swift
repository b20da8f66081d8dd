import Foundation

/// max(x, 0).
public final class ReLU: ElementwiseActivation {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    /// The output and gradient buffers, reused across batches.
    public let buffers = ActivationBuffers()
    /// A layer named `name` (it has no parameters).
    public init(name: String) { self.name = name }
    /// y = max(x, 0) over `n` values.
    public func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = Swift.max(x[i], 0) }
    }
    /// dx = dy where x > 0, else 0.
    public func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : 0 }
    }
}
