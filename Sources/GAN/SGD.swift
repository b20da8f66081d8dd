import Foundation

/// Stochastic gradient descent with optional momentum: v = mu v - lr g; p += v.
public final class SGD: Optimizer {
    /// The step size.
    public var learningRate: Float
    /// The velocity's decay (0: plain SGD).
    public let momentum: Float
    /// Steps taken: part of the checkpointed state (Adam's bias correction).
    public var iterations = 0
    private var velocities: [ObjectIdentifier: Tensor] = [:]

    /// SGD with optional momentum.
    public init(learningRate: Float = 0.01, momentum: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    private func velocity(for p: Parameter) -> Tensor {
        if let v = velocities[ObjectIdentifier(p)] { return v }
        let v = Tensor(shape: p.value.shape)
        velocities[ObjectIdentifier(p)] = v
        return v
    }

    /// One update: v = momentum v - lr g, w += v.
    public func step(_ parameters: [Parameter]) {
        iterations += 1
        for p in parameters {
            let v = velocity(for: p)
            for i in 0..<p.value.count {
                v.data[i] = momentum * v.data[i] - learningRate * p.gradient.data[i]
                p.value.data[i] += v.data[i]
            }
        }
    }

    /// The optimizer's state per parameter (moments, velocities), named for checkpoints.
    public func stateTensors(for parameters: [Parameter]) -> [(name: String, tensor: Tensor)] {
        parameters.map { (name: $0.name + "/velocity", tensor: velocity(for: $0)) }
    }
}
