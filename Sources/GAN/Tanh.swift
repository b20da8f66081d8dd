import Foundation

/// tanh(x), the generator's output in [-1, 1].
///
/// A rational approximation (Eigen's: odd degree-13 numerator over even
/// degree-6 denominator, inputs clamped to +-7.9053, where it reaches 1;
/// |x| < 0.0004 passes through) eight values at a time: within a few units
/// in the last place of libm's `tanhf`, at a cost that does not depend on
/// the values. `tanhf` itself took a path per value, slower as the
/// generator's outputs grow during training (35-40 ms of a 0.5 s dense-GAN step
/// at 128x128x3, batch 32). NaN stays NaN.
public final class Tanh: ElementwiseActivation {
    /// The layer's name, the prefix of its parameters' names in checkpoints.
    public let name: String
    /// The output and gradient buffers, reused across batches.
    public let buffers = ActivationBuffers()
    /// A layer named `name` (it has no parameters).
    public init(name: String) { self.name = name }

    /// y = tanh(x) over `n` values.
    public func apply(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: Self.tanh(v), as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            y[i] = Self.tanh(SIMD8(repeating: x[i]))[0]
            i += 1
        }
    }

    /// dx = dy (1 - y²), from the forward pass's output y.
    public func derive(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0..<n { dx[i] = dy[i] * (1 - y[i] * y[i]) }
    }

    /// tanh of eight values (the approximation above).
    @inline(__always)
    static func tanh(_ a: SIMD8<Float>) -> SIMD8<Float> {
        let limit: Float = 7.90531110763549805
        var x = a
        // Comparisons with NaN are false: a NaN is not clamped and comes out NaN.
        x.replace(with: SIMD8(repeating: limit), where: a .> limit)
        x.replace(with: SIMD8(repeating: -limit), where: a .< -limit)
        let x2 = x * x
        var p = SIMD8<Float>(repeating: -2.76076847742355e-16)
        p = p * x2 + 2.00018790482477e-13
        p = p * x2 + -8.60467152213735e-11
        p = p * x2 + 5.12229709037114e-08
        p = p * x2 + 1.48572235717979e-05
        p = p * x2 + 6.37261928875436e-04
        p = p * x2 + 4.89352455891786e-03
        p = p * x
        var q = SIMD8<Float>(repeating: 1.19825839466702e-06)
        q = q * x2 + 1.18534705686654e-04
        q = q * x2 + 2.26843463243900e-03
        q = q * x2 + 4.89352518554385e-03
        var y = p / q
        y.replace(with: a, where: (a .< 0.0004) .& (a .> -0.0004))
        return y
    }
}
