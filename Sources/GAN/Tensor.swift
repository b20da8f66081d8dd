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
        data = Self.allocateAligned(count)
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

    /// The first `count` elements of `storage` (an owner) under `shape`.
    private init(viewing storage: Tensor, shape: [Int], count: Int) {
        self.shape = shape
        self.count = count
        data = storage.data
        owner = storage
    }

    deinit {
        if owner == nil { UnsafeMutableRawPointer(data).deallocate() }
    }

    /// Elements on a 64-byte boundary (a cache line, and the width of an
    /// AVX-512 vector): malloc's 16-byte alignment put large tensors at
    /// 16 bytes past a page, and smaller ones wherever the heap's history
    /// left them, so a vector loop's loads crossed cache lines by chance.
    private static func allocateAligned(_ count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
    }

    /// The same memory under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        if newShape == shape { return self }
        return Tensor(viewing: self, shape: newShape)
    }

    /// The front of the memory this tensor views (or owns) under `shape`,
    /// when it holds that many elements; the owner itself for its own shape.
    func storageView(_ shape: [Int]) -> Tensor? {
        let storage = owner ?? self
        if shape == storage.shape { return storage }
        let needed = shape.reduce(1, *)
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }), needed <= storage.count else { return nil }
        return Tensor(viewing: storage, shape: shape, count: needed)
    }

    /// The elements as an array (a copy).
    public var array: [Float] { Array(UnsafeBufferPointer(start: data, count: count)) }

    /// The elements as a buffer.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: data, count: count) }

    /// The first dimension (the batch size for batched tensors).
    public var batch: Int { shape[0] }

    /// Sets every value to `value`.
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

/// The reuse rule for layer buffers: `tensor` when it already has `shape`;
/// else the front of its memory under `shape` when that memory is large
/// enough; else a new zero tensor. Its contents are whatever the buffer
/// last held. A smaller batch in between (a sample grid of 25 between
/// training batches of 64, a partial last batch, an evaluation's last
/// chunk) then costs no allocation, neither for itself nor for the next
/// full batch: reallocating the DCGAN generator's ~200 MB of buffers twice
/// per grid had made every epoch's first step ~0.35 s slower.
@inline(__always)
func reuse(_ tensor: Tensor?, _ shape: [Int]) -> Tensor {
    guard let tensor else { return Tensor(shape: shape) }
    if tensor.shape == shape { return tensor }
    return tensor.storageView(shape) ?? Tensor(shape: shape)
}
