import Foundation

/// Binary cross-entropy, Keras-style: the mean over every element of
/// -[t log p + (1 - t) log(1 - p)].
///
/// On probabilities (`fromLogits` false) p is clipped to [1e-7, 1 - 1e-7]
/// as Keras does (no gradient where clipped); on logits the numerically
/// stable form max(z, 0) - z t + log(1 + exp(-|z|)) is used. Label smoothing
/// moves targets toward 0.5: t' = t (1 - s) + s / 2.
public struct BinaryCrossEntropy: Sendable {
    /// Whether predictions are logits (the sigmoid applied inside, stably) or probabilities.
    public var fromLogits: Bool
    /// Targets moved toward 0.5 by this much.
    public var labelSmoothing: Float
    static let clip: Float = 1e-7

    /// Binary cross-entropy, on logits when `fromLogits`.
    public init(fromLogits: Bool, labelSmoothing: Float = 0) {
        self.fromLogits = fromLogits
        self.labelSmoothing = labelSmoothing
    }

    /// The loss, with d loss / d prediction written into `gradient` (same shape).
    public func callAsFunction(_ prediction: Tensor, targets: Tensor, gradient: Tensor) -> Float {
        precondition(prediction.shape == targets.shape, "predictions \(prediction.shape) and targets \(targets.shape) differ")
        precondition(gradient.shape == prediction.shape, "gradient \(gradient.shape), expected \(prediction.shape)")
        let n = prediction.count
        let scale = 1 / Float(n)
        var total: Double = 0
        for i in 0..<n {
            let t = targets.data[i] * (1 - labelSmoothing) + 0.5 * labelSmoothing
            let v = prediction.data[i]
            if fromLogits {
                total += Double(Swift.max(v, 0) - v * t + log1pf(expf(-abs(v))))
                gradient.data[i] = (stableSigmoid(v) - t) * scale
            } else {
                let p = Swift.min(Swift.max(v, Self.clip), 1 - Self.clip)
                total -= Double(t * logf(p) + (1 - t) * logf(1 - p))
                gradient.data[i] = (v > Self.clip && v < 1 - Self.clip) ? (p - t) / (p * (1 - p)) * scale : 0
            }
        }
        return Float(total / Double(n))
    }

    /// Fraction of predictions on the target's side of 0.5 (0 for logits).
    public func accuracy(_ prediction: Tensor, targets: Tensor) -> Float {
        let threshold: Float = fromLogits ? 0 : 0.5
        var right = 0
        for i in 0..<prediction.count where (prediction.data[i] > threshold) == (targets.data[i] > 0.5) { right += 1 }
        return Float(right) / Float(prediction.count)
    }
}
