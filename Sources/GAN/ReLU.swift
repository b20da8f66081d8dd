import Foundation

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
