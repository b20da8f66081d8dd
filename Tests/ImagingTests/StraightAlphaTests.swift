import Imaging
import Testing
import _TestSupport

/// A decoder that keeps PNG alpha, and the resize that composites only the
/// pixels it reads, give exactly what compositing the whole image first gives.
@Suite struct StraightAlphaTests {
    static let files = ["rgba.png", "gray-alpha.png", "palette-transparent.png"]

    @Test(arguments: files)
    func keptAlphaCompositesToTheDefaultDecode(_ name: String) throws {
        let bytes = try TestPaths.fixtureBytes("images/" + name)
        var keeping = ImageDecoder()
        keeping.keepsAlpha = true
        let straight = try keeping.decode(bytes)
        let composited = try ImageDecoder().decode(bytes)
        #expect(straight.hasAlpha && straight.channels == composited.channels + 1)
        #expect(straight.compositedOverWhite() == composited)
        // What is written from an image with alpha is the composited image.
        #expect(try ImageDecoder().decode(PNGEncoder.encode(straight)) == composited)
        if name != "palette-transparent.png" {
            // The fixtures' alpha runs from the top row to the bottom one; Pillow reads 1 and 254 at x = 10.
            let a = straight.channels - 1
            #expect(straight[0, 10, a] == 1 && straight[straight.height - 1, 10, a] == 254)
        }
    }

    @Test(arguments: files)
    func samplesAreTheSameWhicheverDecoderComposites(_ name: String) throws {
        let bytes = try TestPaths.fixtureBytes("images/" + name)
        for mode in [ResizeMode.centerCrop, .pad, .stretch] {
            for (size, channels) in [(ImageSize(width: 32, height: 32), 3), (ImageSize(width: 40, height: 24), 1), (ImageSize(width: 256, height: 160), 3)] {
                let plain = ImagePreprocessor(size: size, channels: channels, mode: mode)
                var keeping = plain
                keeping.decoder.keepsAlpha = true
                var a = [Float](repeating: 9, count: plain.sampleSize), b = a
                try a.withUnsafeMutableBufferPointer { try plain.process(bytes, into: $0) }
                try b.withUnsafeMutableBufferPointer { try keeping.process(bytes, into: $0) }
                #expect(a == b, "\(name) \(mode) \(size) x\(channels)")
                #expect(a.allSatisfy { (-1...1).contains($0) })
            }
        }
    }

    /// The compositing kernel (vector steps of 8 pixels and a scalar rest)
    /// against the formula in integers, for every row length up to 70.
    @Test func compositingMatchesTheFormulaAtEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for width in 1...70 {
            for channels in [2, 4] {
                var pixels = (0..<width * channels).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if width > 3 { pixels[channels - 1] = 0; pixels[2 * channels - 1] = 255 }  // both ends of alpha
                let out = DecodedImage(width: width, height: 1, channels: channels, pixels: pixels).compositedOverWhite()
                var expected: [UInt8] = []
                for x in 0..<width {
                    let a = Int(pixels[x * channels + channels - 1])
                    for c in 0..<(channels - 1) {
                        expected.append(UInt8((Int(pixels[x * channels + c]) * a + 255 * (255 - a) + 127) / 255))
                    }
                }
                #expect(out.pixels == expected, "\(width) pixels, \(channels) channels")
            }
        }
    }

    @Test func compositingMatchesTheFormulaWhereRunsOfPixelsAreOpaqueOrClear() {
        // Runs of opaque and of clear pixels, long enough to fill whole 8-pixel blocks at any offset,
        // between translucent ones: the blocks that skip the arithmetic and those that do not.
        var generator = SystemRandomNumberGenerator()
        for start in 0..<9 {
            var alphas: [UInt8] = (0..<start).map { _ in UInt8.random(in: 1...254, using: &generator) }
            for (value, count) in [(255, 19), (7, 1), (0, 17), (254, 1), (255, 8), (0, 9), (128, 1), (255, 1), (0, 1)] {
                alphas += [UInt8](repeating: UInt8(value), count: count)
            }
            var pixels: [UInt8] = []
            for a in alphas {
                for _ in 0..<3 { pixels.append(UInt8.random(in: 0...255, using: &generator)) }
                pixels.append(a)
            }
            let out = DecodedImage(width: alphas.count, height: 1, channels: 4, pixels: pixels).compositedOverWhite()
            var expected: [UInt8] = []
            for (x, alpha) in alphas.enumerated() {
                let a = Int(alpha)
                for c in 0..<3 {
                    let colour: Int = Int(pixels[x * 4 + c])
                    expected.append(UInt8((colour * a + 255 * (255 - a) + 127) / 255))
                }
            }
            #expect(out.pixels == expected, "runs from pixel \(start)")
        }
    }
}
