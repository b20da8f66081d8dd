/// The inverse of pack's normalisation: a float x in [-1, 1] becomes the
/// byte round(x * 127.5 + 127.5) (halves to even, as NumPy's and Python's round), clamped to 0...255, in RGB order.
enum ExportPixels {
    /// The bytes of one image of `count` floats, channels swapped from BGR when `bgr`.
    static func bytes(_ values: UnsafeBufferPointer<Float>, channels: Int, bgr: Bool) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count)
        for i in 0..<values.count {
            let v = (values[i] * 127.5 + 127.5).rounded(.toNearestOrEven)
            out[i] = UInt8(max(0, min(255, v)))
        }
        if bgr && channels == 3 {
            for p in stride(from: 0, to: out.count, by: 3) { out.swapAt(p, p + 2) }
        }
        return out
    }
}
