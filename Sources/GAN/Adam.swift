import Foundation

/// Adam with Keras's formulation: lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t),
/// p -= lr_t * m / (sqrt(v) + epsilon). The GAN setting is lr 2e-4, beta1 0.5.
public final class Adam: Optimizer {
    /// The step size.
    public var learningRate: Float
    /// The first moment's decay (0.5 in the DCGAN recipe).
    public let beta1: Float
    /// The second moment's decay.
    public let beta2: Float
    /// Added to the second moment's root (Keras's 1e-7).
    public let epsilon: Float
    /// Steps taken: part of the checkpointed state (Adam's bias correction).
    public var iterations = 0
    private var moments: [ObjectIdentifier: (m: Tensor, v: Tensor)] = [:]

    /// Adam with Keras's defaults but the DCGAN recipe's learning rate and beta1.
    public init(learningRate: Float = 2e-4, beta1: Float = 0.5, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    private func moments(for p: Parameter) -> (m: Tensor, v: Tensor) {
        if let existing = moments[ObjectIdentifier(p)] { return existing }
        let created = (Tensor(shape: p.value.shape), Tensor(shape: p.value.shape))
        moments[ObjectIdentifier(p)] = created
        return created
    }

    /// One update of every parameter from its accumulated gradient:
    /// m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g², w -= lr_t m / (sqrt(v) + eps).
    public func step(_ parameters: [Parameter]) {
        iterations += 1
        let t = Float(iterations)
        let lr = learningRate * (1 - powf(beta2, t)).squareRoot() / (1 - powf(beta1, t))
        let b1 = beta1, b2 = beta2, eps = epsilon
        for p in parameters {
            let (m, v) = moments(for: p)
            let w = p.value.data, g = p.gradient.data, md = m.data, vd = v.data
            forEachChunk(p.value.count) { range in
                Self.update(w: w, g: g, m: md, v: vd, range: range, lr: lr, b1: b1, b2: b2, eps: eps)
            }
        }
    }

    /// Adam's update of the elements in `range`.
    @inline(__always)
    private static func update(w: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, m md: UnsafeMutablePointer<Float>,
                               v vd: UnsafeMutablePointer<Float>, range: Range<Int>, lr: Float, b1: Float, b2: Float, eps: Float) {
        // Explicit 16-wide vectors: the compiler cannot prove the four
        // arrays do not overlap, so it would not vectorize the plain loop.
        var i = range.lowerBound
        let n = range.upperBound
        let vb1 = SIMD16<Float>(repeating: b1), vb2 = SIMD16<Float>(repeating: b2)
        let c1 = SIMD16<Float>(repeating: 1 - b1), c2 = SIMD16<Float>(repeating: 1 - b2)
        let vlr = SIMD16<Float>(repeating: lr), veps = SIMD16<Float>(repeating: eps)
        while i + 16 <= n {
            let gi = UnsafeRawPointer(g + i).loadUnaligned(as: SIMD16<Float>.self)
            let mi = vb1 * UnsafeRawPointer(md + i).loadUnaligned(as: SIMD16<Float>.self) + c1 * gi
            let vi = vb2 * UnsafeRawPointer(vd + i).loadUnaligned(as: SIMD16<Float>.self) + c2 * gi * gi
            let wi = UnsafeRawPointer(w + i).loadUnaligned(as: SIMD16<Float>.self) - vlr * mi / (vi.squareRoot() + veps)
            UnsafeMutableRawPointer(md + i).storeBytes(of: mi, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(vd + i).storeBytes(of: vi, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(w + i).storeBytes(of: wi, as: SIMD16<Float>.self)
            i += 16
        }
        while i < n {
            let gi = g[i]
            md[i] = b1 * md[i] + (1 - b1) * gi
            vd[i] = b2 * vd[i] + (1 - b2) * gi * gi
            w[i] -= lr * md[i] / (vd[i].squareRoot() + eps)
            i += 1
        }
    }

    /// The optimizer's state per parameter (moments, velocities), named for checkpoints.
    public func stateTensors(for parameters: [Parameter]) -> [(name: String, tensor: Tensor)] {
        parameters.flatMap { p -> [(name: String, tensor: Tensor)] in
            let (m, v) = moments(for: p)
            return [(p.name + "/m", m), (p.name + "/v", v)]
        }
    }
}
