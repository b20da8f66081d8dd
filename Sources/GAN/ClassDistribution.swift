import Support

/// Which classes a conditional GAN's generated batches ask for.
public enum ClassBalance: String, Sendable, Codable, CaseIterable {
    /// In the data's class frequencies (the default).
    case frequency
    /// Every class present in the data equally often.
    case uniform
}

/// Draws the classes of generated images: each class with probability
/// proportional to its weight (its image count, or 1 for every class with
/// images when drawn evenly).
public struct ClassDistribution: Sendable, Equatable {
    /// Each class's probability.
    public let probabilities: [Double]
    private let cumulative: [Double]

    /// - Parameter counts: images per class; at least one must be positive.
    public init(counts: [Int], balance: ClassBalance) {
        precondition(counts.contains { $0 > 0 } && counts.allSatisfy { $0 >= 0 }, "class counts \(counts)")
        let weights = counts.map { balance == .uniform ? ($0 > 0 ? 1.0 : 0) : Double($0) }
        let total = weights.reduce(0, +)
        probabilities = weights.map { $0 / total }
        var running = 0.0
        cumulative = probabilities.map { running += $0; return running }
    }

    /// Classes drawn from.
    public var classes: Int { probabilities.count }

    /// Every one of `classes` classes equally often.
    public static func even(classes: Int) -> ClassDistribution {
        ClassDistribution(counts: Array(repeating: 1, count: classes), balance: .uniform)
    }

    /// One class drawn with `random`.
    public func draw(using random: inout SeededGenerator) -> Int32 {
        let u = Double(random.next() >> 11) * 0x1p-53
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > u { high = mid } else { low = mid + 1 }
        }
        // Skip classes of probability 0 that rounding could leave at the end.
        while probabilities[low] == 0 { low -= 1 }
        return Int32(low)
    }

    /// `count` classes drawn with `random`.
    public func draw(_ count: Int, using random: inout SeededGenerator) -> [Int32] {
        (0..<count).map { _ in draw(using: &random) }
    }
}

extension Sequential {
    /// The classes a conditional generator takes (its class input's), nil for an unconditional model.
    public var conditionClasses: Int? {
        for layer in layers {
            if let input = layer as? ClassConditionInput { return input.classes }
            if let projection = layer as? ClassProjection { return projection.classes }
        }
        return nil
    }

    /// Sets the class of each row of the next forward pass in a conditional model's class layers.
    public func setClassLabels(_ labels: [Int32]) {
        for layer in layers {
            if let input = layer as? ClassConditionInput { input.labels = labels }
            if let projection = layer as? ClassProjection { projection.labels = labels }
            if let norm = layer as? BatchNorm, norm.classes > 0 { norm.labels = labels }
        }
    }

    /// Generated images for `noise`, of `labels` when the generator is conditional (inference mode by default).
    public func generate(noise: Tensor, labels: [Int32]?, training: Bool = false) -> Tensor {
        if let labels { setClassLabels(labels) }
        return forward(noise, training: training)
    }
}
