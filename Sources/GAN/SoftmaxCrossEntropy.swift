import Foundation

/// Softmax cross-entropy over class logits [B, K] with integer targets:
/// the mean over the batch of -log softmax(z)[target], computed as
/// logsumexp(z) - z[target] with the maximum subtracted first (no overflow).
/// Its gradient is (softmax(z) - onehot(target)) / B.
public struct SoftmaxCrossEntropy: Sendable {
    /// The mean softmax cross-entropy over a batch.
    public init() {}

    /// The loss, with d loss / d logits written into `gradient` (same shape).
    public func callAsFunction(_ logits: Tensor, targets: [Int32], gradient: Tensor) -> Float {
        precondition(logits.shape.count == 2 && logits.shape[0] == targets.count, "logits \(logits.shape) for \(targets.count) targets")
        precondition(gradient.shape == logits.shape, "gradient \(gradient.shape), expected \(logits.shape)")
        let (b, k) = (logits.shape[0], logits.shape[1])
        let scale = 1 / Float(b)
        var total = 0.0
        for n in 0..<b {
            let z = logits.data + n * k
            let g = gradient.data + n * k
            let target = Int(targets[n])
            precondition((0..<k).contains(target), "target \(target) outside \(k) classes")
            var m = z[0]
            for i in 1..<k { m = Swift.max(m, z[i]) }
            var sum: Float = 0
            for i in 0..<k {
                g[i] = expf(z[i] - m)
                sum += g[i]
            }
            total += Double(logf(sum) + m - z[target])
            for i in 0..<k { g[i] = g[i] / sum * scale }
            g[target] -= scale
        }
        return Float(total / Double(b))
    }

    /// Each row's most likely class.
    public static func predictions(_ logits: Tensor) -> [Int32] {
        let (b, k) = (logits.shape[0], logits.shape[1])
        return (0..<b).map { n in
            let z = logits.data + n * k
            var best = 0
            for i in 1..<k where z[i] > z[best] { best = i }
            return Int32(best)
        }
    }
}
