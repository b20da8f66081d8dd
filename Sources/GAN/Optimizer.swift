import Foundation

/// Updates parameters from their gradients.
public protocol Optimizer: AnyObject {
    /// Applies one update to every parameter, from its gradient.
    func step(_ parameters: [Parameter])
    /// Named state tensors (moments, step counter), for checkpoints.
    func stateTensors(for parameters: [Parameter]) -> [(name: String, tensor: Tensor)]
    /// Updates taken so far.
    var iterations: Int { get set }
}
