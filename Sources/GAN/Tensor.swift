/// A contiguous float32 array with a shape (row-major; images are NHWC).
///
/// A tensor owns its memory, or views another tensor's memory under another
/// shape (`reshaped`), keeping it alive. Layers allocate their tensors once
/// and reuse them while the batch size stays the same: no allocation per step.
public final class Tensor {
    /// Extent of each dimension.
    public let shape: [Int]
    /// Number of elements.
    public let count: Int
    /// The elements.
    public let data: UnsafeMutablePointer<Float>
    private let owner: Tensor?

    /// A zero-filled tensor.
    public init(shape: [Int]) {
        precondition(!shape.isEmpty && shape.allSatisfy { $0 > 0 }, "tensor shape must be non-empty and positive, got \(shape)")
        self.shape = shape
        count = shape.reduce(1, *)
        data = .allocate(capacity: count)
        data.initialize(repeating: 0, count: count)
        owner = nil
    }

    /// A tensor holding `values` (row-major).
    public convenience init(shape: [Int], values: [Float]) {
        self.init(shape: shape)
        precondition(values.count == count, "\(values.count) values for shape \(shape)")
        values.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: count) }
    }

    private init(viewing base: Tensor, shape: [Int]) {
        self.shape = shape
        count = shape.reduce(1, *)
        precondition(count == base.count, "cannot view \(base.shape) as \(shape)")
        data = base.data
        owner = base.owner ?? base
    }

    deinit {
        if owner == nil { data.deallocate() }
    }

    /// The same memory under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        if newShape == shape { return self }
        return Tensor(viewing: self, shape: newShape)
    }

    /// The elements as an array (a copy).
    public var array: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The elements as a buffer.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }

    /// The first dimension (the batch size for batched tensors).
    public var batch: Int { shape[0] }

    public func fill(_ value: Float) { data.update(repeating: value, count: count) }

    /// Copies another tensor's elements (the counts must match).
    public func copy(from other: Tensor) {
        precondition(other.count == count, "copy of \(other.shape) into \(shape)")
        data.update(from: other.data, count: count)
    }

    /// A new tensor with the same shape and elements.
    public func clone() -> Tensor {
        let t = Tensor(shape: shape)
        t.copy(from: self)
        return t
    }
}

/// Returns `tensor` when it already has `shape`, else a new zero tensor:
/// the reuse rule for layer buffers.
@inline(__always)
func reuse(_ tensor: Tensor?, _ shape: [Int]) -> Tensor {
    if let tensor, tensor.shape == shape { return tensor }
    return Tensor(shape: shape)
}
