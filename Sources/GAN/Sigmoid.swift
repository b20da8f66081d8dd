import Foundation

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
