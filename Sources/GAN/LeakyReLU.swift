import Foundation

/// max(x, alpha * x), alpha 0.2 in the original GAN.
public final class LeakyReLU: ElementwiseActivation {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    /// The slope for negative inputs (0.2 in the original GAN).
    public let alpha: Float
    /// The output and gradient buffers, reused across batches.
    public let buffers = ActivationBuffers()
    /// A LeakyReLU with negative slope `alpha`.
    public init(name: String, alpha: Float = 0.2) {
        self.name = name
        self.alpha = alpha
    }
    /// y = x for x > 0, alpha x otherwise, over `n` values.
    public func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = alpha
        for i in 0..<n { let v = x[i]; y[i] = v > 0 ? v : a * v }
    }
    /// dx = dy for x > 0, alpha dy otherwise.
    public func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = alpha
        for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : a * dy[i] }
    }
}
