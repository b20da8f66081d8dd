import Dispatch
import Support

/// Padding of a convolution, with TensorFlow/Keras semantics.
public enum Padding: String, Sendable {
    /// Output = ceil(input / stride); the padding is split, the extra at the end.
    case same
    /// No padding: output = (input - kernel) / stride + 1.
    case valid
}
