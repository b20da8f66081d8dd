import Foundation

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
