import Imaging
import Testing

/// Grids against a pixel-by-pixel layout written out here: where each
/// image's pixel lands, its byte, the gray spacing, scale and BGR order.
@Suite struct SampleGridTests {
    /// The layout pixel by pixel: cell origin, then `scale` x `scale` blocks.
    private static func reference(_ samples: [Float], count: Int, height: Int, width: Int, channels: Int,
                                  columns: Int, spacing: Int, scale: Int, bgr: Bool) -> (width: Int, height: Int, pixels: [UInt8]) {
        let rows = (count + columns - 1) / columns
        let outW = columns * width * scale + (columns + 1) * spacing, outH = rows * height * scale + (rows + 1) * spacing
        var pixels = [UInt8](repeating: 128, count: outW * outH * channels)
        for n in 0..<count {
            let gx = spacing + (n % columns) * (width * scale + spacing), gy = spacing + (n / columns) * (height * scale + spacing)
            for y in 0..<(height * scale) {
                for x in 0..<(width * scale) {
                    for k in 0..<channels {
                        let v = samples[n * height * width * channels + ((y / scale) * width + x / scale) * channels + (bgr && channels == 3 ? 2 - k : k)]
                        // (v + 1) * 127.5 rounded half away from zero, clamped.
                        let scaled = (v + 1) * 127.5
                        pixels[((gy + y) * outW + gx + x) * channels + k] = UInt8(min(255, max(0, scaled.rounded(.toNearestOrAwayFromZero))))
                    }
                }
            }
        }
        return (outW, outH, pixels)
    }

    @Test(arguments: [(channels: 3, scale: 1, bgr: false), (3, 1, true), (1, 1, false), (3, 3, false), (1, 2, true), (3, 2, true)])
    func gridsMatchThePixelByPixelLayout(channels: Int, scale: Int, bgr: Bool) {
        let count = 7, height = 5, width = 6, columns = 3, spacing = 2
        // Values over the whole range and beyond it (clamped), including halfway points.
        let samples = (0..<(count * height * width * channels)).map { Float(($0 * 37) % 301) / 125 - 1.2 }
        let grid = samples.withUnsafeBufferPointer {
            SampleGrid.render($0, count: count, height: height, width: width, channels: channels, columns: columns, spacing: spacing, scale: scale, bgr: bgr)
        }
        let expected = Self.reference(samples, count: count, height: height, width: width, channels: channels,
                                      columns: columns, spacing: spacing, scale: scale, bgr: bgr)
        #expect(grid.width == expected.width && grid.height == expected.height && grid.channels == channels)
        #expect(grid.pixels == expected.pixels)
        // The last row's two empty cells stay gray; some pixels are clamped at both ends.
        #expect(grid.pixels.last == 128 && grid.pixels.contains(0) && grid.pixels.contains(255))
    }
}
