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
        #expect(throws: ImageError.unsupportedFormat(found: nil)) { try decoder.decode(html) }
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

    /// The decoder skips zlib's Adler-32 of the image data (each IDAT chunk's
    /// CRC-32 covers the same bytes) and still checks the CRC-32s.
    @Test func pngAdler32IsNotCheckedButChunkCRCsAre() throws {
        let pixels = (0..<(9 * 7 * 3)).map { UInt8(($0 * 29) % 256) }
        let image = DecodedImage(width: 9, height: 7, channels: 3, pixels: pixels)
        let png = try PNGEncoder.encode(image)
        // Find the (single) IDAT chunk: length, type, data, CRC.
        var offset = 8
        var idat: (data: Int, length: Int)?
        while offset + 8 <= png.count {
            let length = png[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            if String(decoding: png[offset + 4..<offset + 8], as: UTF8.self) == "IDAT" { idat = (offset + 8, length); break }
            offset += 12 + length
        }
        let (start, length) = try #require(idat)
        // The zlib stream's last four bytes are its Adler-32: change one.
        var badAdler = png
        badAdler[start + length - 1] ^= 0x5A
        #expect(throws: ImageError.self, "the chunk's CRC-32 no longer matches") { try decoder.decode(badAdler) }
        let crc = Self.crc32(badAdler[start - 4..<start + length])
        for i in 0..<4 { badAdler[start + length + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * i)) }
        #expect(try decoder.decode(badAdler) == image, "a wrong Adler-32 under a right CRC-32 decodes the same pixels")
    }

    /// CRC-32 as PNG uses it (ISO 3309), bit by bit: independent of zlib's.
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
