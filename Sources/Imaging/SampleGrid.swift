/// Lays out float images in [-1, 1] (HWC, 1 or 3 channels) as one 8-bit
/// picture: `columns` per row, separated by `spacing` pixels of gray.
public enum SampleGrid {
    /// - Parameters:
    ///   - samples: `count * height * width * channels` floats, image after image.
    ///   - scale: each pixel is drawn as a `scale` x `scale` block (for tiny images).
    public static func render(
        _ samples: UnsafeBufferPointer<Float>, count: Int, height: Int, width: Int, channels: Int,
        columns: Int, spacing: Int = 2, scale: Int = 1, bgr: Bool = false
    ) -> DecodedImage {
        precondition(count > 0 && columns > 0, "a grid needs images and columns")
        precondition(samples.count >= count * height * width * channels, "not enough samples")
        let rows = (count + columns - 1) / columns
        let cellW = width * scale, cellH = height * scale
        let outW = columns * cellW + (columns + 1) * spacing
        let outH = rows * cellH + (rows + 1) * spacing
        var pixels = [UInt8](repeating: 128, count: outW * outH * channels)
        let size = height * width * channels
        for n in 0..<count {
            let gx = spacing + (n % columns) * (cellW + spacing)
            let gy = spacing + (n / columns) * (cellH + spacing)
            for y in 0..<cellH {
                for x in 0..<cellW {
                    let s = n * size + ((y / scale) * width + (x / scale)) * channels
                    let d = ((gy + y) * outW + gx + x) * channels
                    for k in 0..<channels {
                        let source = bgr && channels == 3 ? 2 - k : k
                        let v = (samples[s + source] + 1) * 127.5
                        pixels[d + k] = UInt8(max(0, min(255, v.rounded())))
                    }
                }
            }
        }
        return DecodedImage(width: outW, height: outH, channels: channels, pixels: pixels)
    }
}
