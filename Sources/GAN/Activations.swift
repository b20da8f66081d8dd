import Foundation

/// An element-wise activation: y = f(x), dx = dy * f'(x).
public class ElementwiseActivation: Layer {
    public let name: String
    var input: Tensor?
    var output: Tensor?
    var inputGradient: Tensor?

    init(name: String) { self.name = name }

    public func outputShape(for inputShape: [Int]) -> [Int] { inputShape }

    func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { fatalError("abstract") }
    func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        fatalError("abstract")
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = reuse(output, x.shape)
        output = y
        input = x
        apply(x.data, y.data, x.count)
        return y
    }

    public func backward(_ dy: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor? {
        guard needsInputGradient else { return nil }
        guard let x = input, let y = output else { preconditionFailure("\(name): backward before forward") }
        precondition(dy.count == x.count, "\(name): output gradient \(dy.shape), expected \(x.shape)")
        let dx = reuse(inputGradient, x.shape)
        inputGradient = dx
        derive(x.data, y.data, dy.data, dx.data, x.count)
        return dx
    }
}

/// max(x, alpha * x), alpha 0.2 in the original GAN.
public final class LeakyReLU: ElementwiseActivation {
    public let alpha: Float
    public init(name: String, alpha: Float = 0.2) {
        self.alpha = alpha
        super.init(name: name)
    }
    override func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = alpha
        for i in 0..<n { let v = x[i]; y[i] = v > 0 ? v : a * v }
    }
    override func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        let a = alpha
        for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : a * dy[i] }
    }
}

/// max(x, 0).
public final class ReLU: ElementwiseActivation {
    public override init(name: String) { super.init(name: name) }
    override func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = Swift.max(x[i], 0) }
    }
    override func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { dx[i] = x[i] > 0 ? dy[i] : 0 }
    }
}

/// tanh(x), the generator's output in [-1, 1].
public final class Tanh: ElementwiseActivation {
    public override init(name: String) { super.init(name: name) }
    override func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = tanhf(x[i]) }
    }
    override func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { dx[i] = dy[i] * (1 - y[i] * y[i]) }
    }
}

/// 1 / (1 + exp(-x)), the original discriminator's output probability.
public final class Sigmoid: ElementwiseActivation {
    public override init(name: String) { super.init(name: name) }
    override func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { y[i] = stableSigmoid(x[i]) }
    }
    override func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
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
