import Foundation

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
