import Foundation
import Support
/// Layers applied in order: a generator or a discriminator.
public final class Sequential {
    /// The model's name, the first part of its parameters' paths ("generator").
    public let name: String
    /// The layers in order.
    public let layers: [Layer]
    /// A frozen model computes input gradients but leaves its parameter
    /// gradients (and BatchNorm moving statistics) untouched.
    public var frozen = false {
        didSet { for case let bn as BatchNorm in layers { bn.updatesMovingStatistics = !frozen } }
    }

    /// When set, seconds spent per layer kind ("Conv2D", "BatchNorm", ...)
    /// in forward and backward passes accumulate here (for benchmarks).
    public var timings: [String: Double]?

    /// A model named `name` of `layers` in order.
    public init(name: String, layers: [Layer]) {
        self.name = name
        self.layers = layers
    }

    /// Every layer's forward pass in order (`training`: batch statistics, dropout on).
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var current = x
        for layer in layers {
            if timings == nil {
                current = layer.forward(current, training: training)
            } else {
                let start = monotonicSeconds()
                current = layer.forward(current, training: training)
                timings![String(describing: type(of: layer)), default: 0] += monotonicSeconds() - start
            }
        }
        return current
    }

    /// Back-propagates `dy`; returns the input gradient when asked for.
    @discardableResult
    public func backward(_ dy: Tensor, needsInputGradient: Bool = false) -> Tensor? {
        var current: Tensor? = dy
        for (i, layer) in layers.enumerated().reversed() {
            guard let gradient = current else { break }
            let start = timings == nil ? 0 : monotonicSeconds()
            current = layer.backward(gradient, needsInputGradient: i > 0 || needsInputGradient,
                                     accumulateParameterGradients: !frozen)
            if timings != nil { timings![String(describing: type(of: layer)), default: 0] += monotonicSeconds() - start }
        }
        return current
    }

    /// Trainable parameters, named "<model>/<layer>/<name>".
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }
    /// Non-trainable state (BatchNorm moving statistics).
    public var state: [Parameter] { layers.flatMap(\.state) }

    /// Zeroes every parameter's gradient.
    public func zeroGradients() {
        for p in parameters {
            let g = p.gradient.data
            forEachChunk(p.gradient.count) { range in (g + range.lowerBound).update(repeating: 0, count: range.count) }
        }
    }

    /// The output shape for an input shape.
    public func outputShape(for inputShape: [Int]) -> [Int] {
        layers.reduce(inputShape) { $1.outputShape(for: $0) }
    }

    /// FLOPs of one forward pass.
    public func forwardFLOPs(inputShape: [Int]) -> Double {
        var shape = inputShape
        var total = 0.0
        for layer in layers {
            total += layer.forwardFLOPs(inputShape: shape)
            shape = layer.outputShape(for: shape)
        }
        return total
    }

    /// Number of trainable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }
}
