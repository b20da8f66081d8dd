/// Finding NaN and infinite values in large float buffers (images,
/// batches, weights) at memory speed.
public enum NonFinite {
    /// The index and value of the first NaN or infinite value among `count` floats, if any.
    public static func first(in values: UnsafePointer<Float>, count: Int) -> (index: Int, value: Float)? {
        // x * 0 is 0 for every finite x and NaN otherwise: one cheap pass, then a look only on failure.
        // Eight lanes: eight independent chains of additions (one chain waits on each add: 4x slower).
        var lanes = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            lanes += UnsafeRawPointer(values + i).loadUnaligned(as: SIMD8<Float>.self) * 0
            i += 8
        }
        var probe = lanes.sum()
        while i < count {
            probe += values[i] * 0
            i += 1
        }
        guard probe.isNaN else { return nil }
        for i in 0..<count where !values[i].isFinite { return (i, values[i]) }
        return nil
    }

    /// `first(in:count:)` over a buffer.
    public static func first(in values: UnsafeBufferPointer<Float>) -> (index: Int, value: Float)? {
        guard let base = values.baseAddress else { return nil }
        return first(in: base, count: values.count)
    }

    /// `first(in:count:)` over an array.
    public static func first(in values: [Float]) -> (index: Int, value: Float)? {
        values.withUnsafeBufferPointer { first(in: $0) }
    }

    /// "NaN", "infinity" or "-infinity".
    public static func name(_ value: Float) -> String {
        value.isNaN ? "NaN" : (value < 0 ? "-infinity" : "infinity")
    }
}
