import Foundation

/// The three losses of a GAN step on the discriminator's outputs, each
/// returning its value and writing d loss / d output into `gradient` (a mean
/// over every element of the output, whatever its shape).
///
/// - BCE: D's real loss is BCE(D(x), realLabel), its fake loss BCE(D(G(z)), 0),
///   G's loss BCE(D(G(z)), 1) (`BinaryCrossEntropy`, on logits or probabilities).
/// - Hinge (logits only): D's real loss mean relu(1 - D(x)), with gradient
///   -1/n where D(x) < 1; its fake loss mean relu(1 + D(G(z))), gradient 1/n
///   where D(G(z)) > -1; G's loss -mean D(G(z)), gradient -1/n everywhere.
public struct AdversarialLoss: Sendable {
    /// Which loss.
    public let kind: AdversarialLossKind
    /// BCE on the outputs (also used for the accuracy's threshold).
    public let crossEntropy: BinaryCrossEntropy
    /// BCE's target for real images (1, or below for one-sided smoothing); unused by the hinge loss.
    public var realLabel: Float

    /// A loss on a discriminator whose outputs are logits (`fromLogits`) or probabilities.
    public init(kind: AdversarialLossKind, fromLogits: Bool, realLabel: Float = 1) {
        precondition(kind == .bce || fromLogits, "the hinge loss needs a discriminator that outputs logits")
        self.kind = kind
        crossEntropy = BinaryCrossEntropy(fromLogits: fromLogits)
        self.realLabel = realLabel
    }

    /// The discriminator's loss on real images.
    public func real(_ output: Tensor, targets: Tensor, gradient: Tensor) -> Float {
        switch kind {
        case .bce: return crossEntropy(output, targets: targets, gradient: gradient)
        case .hinge: return Self.hinge(output, sign: 1, gradient: gradient)
        }
    }

    /// The discriminator's loss on generated images.
    public func fake(_ output: Tensor, targets: Tensor, gradient: Tensor) -> Float {
        switch kind {
        case .bce: return crossEntropy(output, targets: targets, gradient: gradient)
        case .hinge: return Self.hinge(output, sign: -1, gradient: gradient)
        }
    }

    /// The generator's loss through the discriminator.
    public func generator(_ output: Tensor, targets: Tensor, gradient: Tensor) -> Float {
        switch kind {
        case .bce: return crossEntropy(output, targets: targets, gradient: gradient)
        case .hinge:
            let scale = 1 / Float(output.count)
            var total: Double = 0
            for i in 0..<output.count {
                total -= Double(output.data[i])
                gradient.data[i] = -scale
            }
            return Float(total / Double(output.count))
        }
    }

    /// mean relu(1 - sign·y): sign 1 for real outputs, -1 for generated ones.
    static func hinge(_ output: Tensor, sign: Float, gradient: Tensor) -> Float {
        precondition(gradient.shape == output.shape, "gradient \(gradient.shape), expected \(output.shape)")
        let scale = 1 / Float(output.count)
        var total: Double = 0
        for i in 0..<output.count {
            let margin = 1 - sign * output.data[i]
            if margin > 0 {
                total += Double(margin)
                gradient.data[i] = -sign * scale
            } else {
                gradient.data[i] = 0
            }
        }
        return Float(total / Double(output.count))
    }

    /// The fraction of outputs on their target's side (the threshold 0 for logits, 0.5 for probabilities).
    public func accuracy(_ output: Tensor, targets: Tensor) -> Float { crossEntropy.accuracy(output, targets: targets) }

    /// The sum over outputs of sign(D(x)) around the same threshold: StyleGAN2-ADA's overfitting signal, before its mean.
    public func signSum(_ output: Tensor) -> Float {
        let threshold: Float = crossEntropy.fromLogits ? 0 : 0.5
        var total: Float = 0
        for i in 0..<output.count where output.data[i] != threshold { total += output.data[i] > threshold ? 1 : -1 }
        return total
    }
}
