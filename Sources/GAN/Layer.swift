/// A trainable array and its gradient, named by its layer path
/// ("discriminator/conv_1/kernel").
public final class Parameter {
    /// The parameter's name in checkpoints ("layer/kernel").
    public let name: String
    /// Its values.
    public let value: Tensor
    /// The gradient accumulated by backward passes, zeroed by `zeroGradients`.
    public let gradient: Tensor

    /// A parameter of `shape`, values and gradient zeroed.
    public init(name: String, shape: [Int]) {
        self.name = name
        value = Tensor(shape: shape)
        gradient = Tensor(shape: shape)
    }
}

/// A network layer with a forward and a backward pass.
///
/// `forward` keeps what `backward` needs; `backward` takes the gradient of
/// the loss with respect to the layer's output and returns it with respect
/// to the input, adding parameter gradients into `Parameter.gradient` unless
/// told not to (a frozen layer). Returned tensors are owned by the layer and
/// valid until its next call.
public protocol Layer: AnyObject {
    /// The layer's name within its model ("dense_0").
    var name: String { get }
    /// The output shape for an input shape (batch first).
    func outputShape(for inputShape: [Int]) -> [Int]
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// - Parameters:
    ///   - needsInputGradient: false for a first layer, whose input gradient nobody uses.
    ///   - accumulateParameterGradients: false for a frozen layer.
    func backward(_ outputGradient: Tensor, needsInputGradient: Bool, accumulateParameterGradients: Bool) -> Tensor?
    /// Trainable parameters.
    var parameters: [Parameter] { get }
    /// Non-trainable state saved in checkpoints (BatchNorm's moving statistics).
    var state: [Parameter] { get }
    /// Floating-point operations of one forward pass for `batch` inputs (multiply-add = 2).
    func forwardFLOPs(inputShape: [Int]) -> Double
}

extension Layer {
    /// None: a layer without trained parameters.
    public var parameters: [Parameter] { [] }
    /// None: a layer without moving statistics.
    public var state: [Parameter] { [] }
    /// Floating-point operations of one forward pass on `inputShape` (for speed reports).
    public func forwardFLOPs(inputShape: [Int]) -> Double { 0 }
}
