import Imaging
import Testing
import _TestSupport

@Suite struct DecoderTests {
    let decoder = ImageDecoder()

    @Test func jpegDecodesAtFullSizeAndEveryDCTScale() throws {
        let data = try TestPaths.fixtureBytes("images/chelsea.jpg")
        let header = try decoder.header(of: data)
        #expect(header.format == .jpeg)
        #expect(header.width == 451 && header.height == 300 && header.channels == 3)
        for (denominator, width, height) in [(1, 451, 300), (2, 226, 150), (4, 113, 75), (8, 57, 38)] {
            let image = try decoder.decode(data, scaleDenominator: denominator)
            #expect(image.width == width && image.height == height, "1/\(denominator) gave \(image.width)x\(image.height)")
            #expect(image.channels == 3)
            #expect(image.pixels.count == width * height * 3)
        }
    }

    @Test func scaledJPEGDecodeLooksLikeTheFullDecode() throws {
        // The DCT-scaled decode must show the same picture: compare its mean
        // colour to the full decode's, and make sure it is not a flat image.
        let data = try TestPaths.fixtureBytes("images/chelsea.jpg")
        let full = try decoder.decode(data, scaleDenominator: 1)
        let eighth = try decoder.decode(data, scaleDenominator: 8)
        func mean(_ image: DecodedImage, _ c: Int) -> Double {
            var sum = 0.0
            for i in stride(from: c, to: image.pixels.count, by: 3) { sum += Double(image.pixels[i]) }
            return sum / Double(image.width * image.height)
        }
        for c in 0..<3 { #expect(abs(mean(full, c) - mean(eighth, c)) < 3) }
        #expect(Set(eighth.pixels).count > 100)
    }

    @Test func nonJPEGAndTruncatedJPEGAreErrorsNotCrashes() throws {
        let html = try TestPaths.fixtureBytes("images/not-an-image.jpg")
        #expect(throws: ImageError.unsupportedFormat(found: "unknown bytes")) { try decoder.decode(html) }
        let truncated = try TestPaths.fixtureBytes("images/truncated.jpg")
        #expect { try decoder.decode(truncated) } throws: { error in
            guard case ImageError.truncated(let message) = error else { return false }
            return message.lowercased().contains("premature end")
        }
        // Lenient mode accepts what libjpeg could recover.
        let lenient = ImageDecoder(strict: false)
        #expect(try lenient.decode(truncated).width == 451)
    }

    @Test func pngDecodesAndBrokenPNGIsAnError() throws {
        let image = try decoder.decode(TestPaths.fixtureBytes("images/rgb.png"))
        #expect(image.width == 150 && image.height == 100 && image.channels == 3)
        #expect(Set(image.pixels).count > 100)
        #expect(throws: ImageError.self) { try decoder.decode(TestPaths.fixtureBytes("images/truncated.png")) }
        #expect(throws: ImageError.self) { try decoder.decode(TestPaths.fixtureBytes("images/corrupt.png")) }
    }

    @Test func pngEncoderRoundTripsThroughTheDecoder() throws {
        let pixels = (0..<(5 * 4 * 3)).map { UInt8(($0 * 17) % 256) }
        let image = DecodedImage(width: 5, height: 4, channels: 3, pixels: pixels)
        #expect(try decoder.decode(PNGEncoder.encode(image)) == image)
    }
}
