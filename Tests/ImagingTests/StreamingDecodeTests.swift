import Imaging
import Testing
import _TestSupport

/// PNG rows handed out one at a time as libpng decodes them
/// (`ImageDecoder.decodeRows`) are the rows of the whole-image decode, and
/// the samples resized from them (`ImagePreprocessor.render(_:header:into:)`)
/// are the samples of the whole-image path, bit for bit.
@Suite struct StreamingDecodeTests {
    /// Every colour type the fixtures have: RGB, RGBA, gray, gray+alpha,
    /// palette with transparency, 16-bit RGB.
    static let streamed = ["rgb.png", "rgba.png", "gray.png", "gray-alpha.png", "palette-transparent.png", "rgb16.png"]

    static var keeping: ImageDecoder {
        var decoder = ImageDecoder()
        decoder.keepsAlpha = true
        return decoder
    }

    @Test(arguments: streamed)
    func rowsAreTheWholeDecodesRows(_ name: String) throws {
        let bytes = try TestPaths.fixtureBytes("images/" + name)
        let decoder = Self.keeping
        let header = try decoder.header(of: bytes)
        let whole = try decoder.decode(bytes)
        let rowBytes = whole.width * whole.channels
        var seen: [Int] = []
        var rows: [UInt8] = []
        let streamed = try decoder.decodeRows(bytes, header: header) { row, y in
            seen.append(y)
            rows.append(contentsOf: UnsafeBufferPointer(start: row, count: rowBytes))
        }
        #expect(streamed)
        #expect(seen == Array(0..<whole.height))
        #expect(rows == whole.pixels, "\(name): \(whole.width)x\(whole.height)x\(whole.channels)")
    }

    @Test func anInterlacedPNGIsLeftToTheWholeDecode() throws {
        let bytes = try TestPaths.fixtureBytes("images/interlaced.png")
        let header = try Self.keeping.header(of: bytes)
        #expect(header.interlaced)
        var calls = 0
        #expect(try Self.keeping.decodeRows(bytes, header: header) { _, _ in calls += 1 } == false)
        #expect(calls == 0)
        // And the sample still comes out, through the whole decode.
        let preprocessor = ImagePreprocessor(size: ImageSize(24), decoder: Self.keeping)
        var streamed = [Float](repeating: 9, count: preprocessor.sampleSize), whole = streamed
        try streamed.withUnsafeMutableBufferPointer { try preprocessor.render(bytes, header: header, into: $0) }
        try whole.withUnsafeMutableBufferPointer { try preprocessor.process(bytes, into: $0) }
        #expect(streamed == whole)
    }

    @Test func brokenPNGsFailAsTheWholeDecodeFails() throws {
        for name in ["truncated.png", "corrupt.png"] {
            let bytes = try TestPaths.fixtureBytes("images/" + name)
            let decoder = Self.keeping
            guard let header = try? decoder.header(of: bytes) else { continue }  // a header too broken to read fails earlier
            var wholeError: ImageError?
            do { _ = try decoder.decode(bytes) } catch { wholeError = error }
            #expect(wholeError != nil, "\(name) decodes whole")
            #expect(throws: wholeError!) { try decoder.decodeRows(bytes, header: header) { _, _ in } }
        }
        // A declared size over the pixel limit is refused before any row.
        let bomb = try TestPaths.fixtureBytes("images/bomb.png")
        let header = try Self.keeping.header(of: bomb)
        var calls = 0
        #expect(throws: ImageError.tooManyPixels(width: header.width, height: header.height, limit: 100_000_000)) {
            try Self.keeping.decodeRows(bomb, header: header) { _, _ in calls += 1 }
        }
        #expect(calls == 0)
    }

    /// Cropped, padded and stretched; down and up; RGB, gray and BGR.
    @Test(arguments: streamed)
    func streamedSamplesAreTheWholeDecodesSamples(_ name: String) throws {
        let bytes = try TestPaths.fixtureBytes("images/" + name)
        let header = try Self.keeping.header(of: bytes)
        for mode in [ResizeMode.centerCrop, .pad, .stretch] {
            for (size, channels, order) in [(ImageSize(32), 3, ChannelOrder.rgb), (ImageSize(width: 40, height: 24), 1, .rgb),
                                            (ImageSize(width: 256, height: 160), 3, .bgr)] {
                let preprocessor = ImagePreprocessor(size: size, channels: channels, channelOrder: order, mode: mode, decoder: Self.keeping)
                var streamed = [Float](repeating: 9, count: preprocessor.sampleSize), whole = streamed
                try streamed.withUnsafeMutableBufferPointer { try preprocessor.render(bytes, header: header, into: $0) }
                try whole.withUnsafeMutableBufferPointer { try preprocessor.process(bytes, into: $0) }
                #expect(streamed == whole, "\(name) \(mode) \(size) x\(channels) \(order)")
            }
        }
    }
}
