import Imaging
import Testing

@Suite struct ResizeTests {
    func render(_ image: DecodedImage, _ preprocessor: ImagePreprocessor) -> [Float] {
        var out = [Float](repeating: .nan, count: preprocessor.sampleSize)
        out.withUnsafeMutableBufferPointer { preprocessor.render(image, into: $0) }
        return out
    }

    func normalized(_ v: Float) -> Float { v / 127.5 - 1 }

    @Test func integerDownscaleAveragesEachBlockExactly() {
        // 4x4 gray with four 2x2 blocks: each output pixel is its block's mean.
        let pixels: [UInt8] = [10, 30, 200, 200,
                               50, 70, 200, 100,
                               0, 0, 255, 255,
                               0, 40, 255, 255]
        let p = ImagePreprocessor(size: ImageSize(width: 2, height: 2), channels: 1, mode: .stretch)
        let out = render(DecodedImage(width: 4, height: 4, channels: 1, pixels: pixels), p)
        let expected: [Float] = [40, 175, 10, 255].map(normalized)
        for i in 0..<4 { #expect(abs(out[i] - expected[i]) < 1e-5, "pixel \(i): \(out[i]) vs \(expected[i])") }
    }

    @Test func fractionalDownscaleWeighsPartialPixelsByCoverage() {
        // 3 -> 2: output 0 covers [0, 1.5), output 1 covers [1.5, 3).
        let p = ImagePreprocessor(size: ImageSize(width: 2, height: 1), channels: 1, mode: .stretch)
        let out = render(DecodedImage(width: 3, height: 1, channels: 1, pixels: [0, 90, 180]), p)
        #expect(abs(out[0] - normalized(30)) < 1e-5 && abs(out[1] - normalized(150)) < 1e-5)
    }

    @Test(arguments: [(600, 2), (700, 3), (1031, 4)])
    func tallColumnsAverageExactlyPastSixteenBitSums(_ rows: Int, _ outputs: Int) {
        // Hundreds of source rows an output row (more than the 257 whose bytes fit a 16-bit sum),
        // with partly covered edge rows when the scale is fractional: each output is its window's
        // area average, computed here in Double.
        var generator = SystemRandomNumberGenerator()
        let pixels = (0..<rows).map { _ in UInt8.random(in: 230...255, using: &generator) }
        let p = ImagePreprocessor(size: ImageSize(width: 1, height: outputs), channels: 1, mode: .stretch)
        let out = render(DecodedImage(width: 1, height: rows, channels: 1, pixels: pixels), p)
        let scale = Double(rows) / Double(outputs)
        for j in 0..<outputs {
            let lo = Double(j) * scale, hi = lo + scale
            var sum = 0.0
            for y in Int(lo)..<min(rows, Int(hi.rounded(.up))) {
                sum += Double(pixels[y]) * (min(hi, Double(y + 1)) - max(lo, Double(y)))
            }
            let expected = Float(sum / scale / 127.5 - 1)
            #expect(abs(out[j] - expected) < 1e-5, "output \(j): \(out[j]) vs \(expected)")
        }
    }

    @Test func downscaleIsNotNearestNeighbour() {
        // A one-pixel checkerboard halves to flat mid-gray; nearest-neighbour would give 0 or 255.
        let pixels = (0..<64).map { i in UInt8(((i % 8) + (i / 8)) % 2 == 0 ? 0 : 255) }
        let p = ImagePreprocessor(size: ImageSize(width: 4, height: 4), channels: 1, mode: .stretch)
        for v in render(DecodedImage(width: 8, height: 8, channels: 1, pixels: pixels), p) {
            #expect(abs(v - normalized(127.5)) < 1e-5)
        }
    }

    @Test func centerCropKeepsTheMiddle() {
        // 8x4: columns 0-3 black, 4-7 white. Crop to the middle 4x4, then 2x2.
        let pixels = (0..<32).map { i in UInt8(i % 8 < 4 ? 0 : 255) }
        let p = ImagePreprocessor(size: ImageSize(width: 2, height: 2), channels: 1, mode: .centerCrop)
        #expect(render(DecodedImage(width: 8, height: 4, channels: 1, pixels: pixels), p) == [-1, 1, -1, 1])
    }

    @Test func padFitsInsideWithWhiteMargins() {
        let p = ImagePreprocessor(size: ImageSize(width: 4, height: 4), channels: 1, mode: .pad)
        let out = render(DecodedImage(width: 4, height: 2, channels: 1, pixels: [UInt8](repeating: 0, count: 8)), p)
        #expect(out == [1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, -1, 1, 1, 1, 1])
    }

    @Test func valuesMapZeroToMinusOneAnd255ToOne() {
        let p = ImagePreprocessor(size: ImageSize(width: 1, height: 1), channels: 3, mode: .stretch)
        let out = render(DecodedImage(width: 1, height: 1, channels: 3, pixels: [0, 255, 51]), p)
        #expect(out[0] == -1 && out[1] == 1 && abs(out[2] - (51 / 127.5 - 1)) < 1e-6)
    }

    @Test func channelConversionAndOrder() {
        let image = DecodedImage(width: 1, height: 1, channels: 3, pixels: [200, 100, 0])
        let gray = render(image, ImagePreprocessor(size: ImageSize(width: 1, height: 1), channels: 1, mode: .stretch))
        #expect(abs(gray[0] - normalized(0.299 * 200 + 0.587 * 100)) < 1e-4)
        let bgr = render(image, ImagePreprocessor(size: ImageSize(width: 1, height: 1), channels: 3, channelOrder: .bgr, mode: .stretch))
        #expect(bgr == [normalized(0), normalized(100), normalized(200)])
        let fromGray = render(DecodedImage(width: 1, height: 1, channels: 1, pixels: [51]),
                              ImagePreprocessor(size: ImageSize(width: 1, height: 1), channels: 3, mode: .stretch))
        #expect(fromGray == [Float](repeating: normalized(51), count: 3))
    }

    @Test func upscaleInterpolatesSmoothly() {
        let p = ImagePreprocessor(size: ImageSize(width: 4, height: 1), channels: 1, mode: .stretch)
        let out = render(DecodedImage(width: 2, height: 1, channels: 1, pixels: [0, 255]), p)
        #expect(out[0] == -1 && out[3] == 1)
        #expect(out[1] > -1 && out[1] < out[2] && out[2] < 1)
    }
}
