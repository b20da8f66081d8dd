import Imaging
import Testing
import _TestSupport

@Suite struct FixtureDecodingTests {
    let decoder = ImageDecoder()

    func decode(_ name: String) throws -> DecodedImage {
        try decoder.decode(TestPaths.fixtureBytes("images/" + name))
    }

    /// Mean absolute difference per byte of two same-sized images.
    func difference(_ a: DecodedImage, _ b: DecodedImage) -> Double {
        precondition(a.pixels.count == b.pixels.count)
        var total = 0
        for i in 0..<a.pixels.count { total += abs(Int(a.pixels[i]) - Int(b.pixels[i])) }
        return Double(total) / Double(a.pixels.count)
    }

    func gray(_ image: DecodedImage) -> [Double] {
        (0..<(image.width * image.height)).map { (i: Int) -> Double in
            if image.channels == 1 { return Double(image.pixels[i]) }
            let r: Double = 0.299 * Double(image.pixels[3 * i])
            let g: Double = 0.587 * Double(image.pixels[3 * i + 1])
            let b: Double = 0.114 * Double(image.pixels[3 * i + 2])
            return r + g + b
        }
    }

    @Test(arguments: ["chelsea-progressive.jpg", "chelsea-arithmetic.jpg"])
    func losslessTranscodesDecodeToTheSamePixels(_ name: String) throws {
        let header = try decoder.header(of: TestPaths.fixtureBytes("images/" + name))
        #expect(header.progressive == (name == "chelsea-progressive.jpg"))
        #expect(header.arithmeticCoded == (name == "chelsea-arithmetic.jpg"))
        // jpegtran keeps the DCT coefficients: same pixels as the baseline file.
        #expect(try decode(name) == decode("chelsea.jpg"))
    }

    /// Each progressive fixture beside the baseline file with the same coefficients.
    static let progressivePairs = [("images/chelsea-progressive.jpg", "images/chelsea.jpg"),
                                   ("progressive/chelsea-gray-progressive.jpg", "images/chelsea-gray.jpg"),
                                   ("progressive/chelsea-cmyk-progressive.jpg", "images/chelsea-cmyk.jpg"),
                                   ("progressive/chelsea-444-progressive.jpg", "progressive/chelsea-444.jpg")]

    @Test(arguments: progressivePairs, [1, 2, 4, 8])
    func progressiveJPEGsDecodeAtEveryScaleToTheBaselinePixels(_ pair: (String, String), _ scale: Int) throws {
        // At 1/2, 1/4 and 1/8 the decoder reads scans only until every coefficient its reduced IDCTs
        // use is in (4:2:0 chroma at 1/8 goes through the 2x2 IDCT: some of its AC coefficients too).
        let progressive = try decoder.decode(TestPaths.fixtureBytes(pair.0), scaleDenominator: scale)
        let baseline = try decoder.decode(TestPaths.fixtureBytes(pair.1), scaleDenominator: scale)
        #expect(progressive == baseline)
    }

    /// The file cut `bytes` past the start of its scan number `scan` (1-based), by its SOS markers.
    func cut(_ bytes: [UInt8], inScan scan: Int, bytes extra: Int) -> [UInt8] {
        let starts = bytes.indices.dropLast().filter { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA }
        return Array(bytes[..<(starts[scan - 1] + extra)])
    }

    @Test func aProgressiveJPEGAtOneEighthIsDecodedWithoutTheScansItsIDCTsDoNotRead() throws {
        // libjpeg's ten-scan script ends with the luma's AC refinement; at 1/8 the luma goes through the
        // 1x1 IDCT (the DC alone) and the 4:2:0 chroma through the 2x2, whose scans all come before it.
        let whole = try TestPaths.fixtureBytes("images/chelsea-progressive.jpg")
        let lastScanCut = cut(whole, inScan: 10, bytes: 200)
        #expect(try decoder.decode(lastScanCut, scaleDenominator: 8) == decoder.decode(whole, scaleDenominator: 8))
        // Where the cut scan is read, the lost pixels fail strict mode: at full scale, and at 1/8 when
        // the cut is in the chroma's refinement (scan 9).
        #expect(throws: ImageError.self) { try decoder.decode(lastScanCut, scaleDenominator: 1) }
        #expect(throws: ImageError.self) { try decoder.decode(cut(whole, inScan: 9, bytes: 100), scaleDenominator: 8) }
        // Without subsampling every component is at 1x1: the DC refinement (scan 7) is the last one read.
        let full = try TestPaths.fixtureBytes("progressive/chelsea-444-progressive.jpg")
        #expect(try decoder.decode(cut(full, inScan: 8, bytes: 50), scaleDenominator: 8) == decoder.decode(full, scaleDenominator: 8))
        #expect(throws: ImageError.self) { try decoder.decode(cut(full, inScan: 7, bytes: 50), scaleDenominator: 8) }
    }

    @Test func extraneousBytesBeforeAMarkerLoseNoPixelsAndPassStrictMode() throws {
        // libjpeg warns "extraneous bytes before marker 0xdb" and skips them:
        // every pixel is the same as in the file without them.
        let image = try decoder.decode(TestPaths.fixtureBytes("jpeg-warnings/chelsea-extraneous.jpg"))
        #expect(image == (try decode("chelsea.jpg")))
        // A warning that does lose pixels still fails strict mode.
        #expect(throws: ImageError.self) { try decode("truncated.jpg") }
        #expect(try ImageDecoder(strict: false).decode(TestPaths.fixtureBytes("images/truncated.jpg")).width == 451)
    }

    @Test func grayscaleJPEGDecodesToOneChannel() throws {
        let image = try decode("chelsea-gray.jpg")
        #expect(image.channels == 1 && image.width == 451 && image.height == 300)
        let reference = gray(try decode("chelsea.jpg"))
        let mean = zip(gray(image), reference).map { abs($0 - $1) }.reduce(0, +) / Double(reference.count)
        #expect(mean < 3, "gray transcode differs from the colour file's luma by \(mean)")
    }

    @Test func adobeCMYKAndYCCKConvertToTheRightColours() throws {
        let cmyk = try decode("chelsea-cmyk.jpg")
        #expect(cmyk.channels == 3 && cmyk.width == 451)
        #expect(difference(cmyk, try decode("chelsea.jpg")) < 12, "inverted CMYK read the wrong way round gives a negative")
        let header = try decoder.header(of: TestPaths.fixtureBytes("images/chelsea-ycck.jpg"))
        #expect(header.sourceComponents == 4)
        let ycck = try decode("chelsea-ycck.jpg")
        let half = try decoder.decode(TestPaths.fixtureBytes("images/chelsea.jpg"), scaleDenominator: 2)
        #expect(ycck.width == half.width && ycck.height == half.height)
        #expect(difference(ycck, half) < 12)
    }

    @Test func exifOrientationIsApplied() throws {
        let header = try decoder.header(of: TestPaths.fixtureBytes("images/chelsea-exif6.jpg"))
        #expect(header.orientation == 6 && header.width == 300 && header.height == 451)
        let upright = try decode("chelsea-exif6.jpg")
        #expect(upright.width == 451 && upright.height == 300)
        #expect(difference(upright, try decode("chelsea.jpg")) < 10)
    }

    @Test func orientationTransformsMapCornersCorrectly() {
        // 3x2 image with distinct pixels 0...5 (row-major).
        let image = DecodedImage(width: 3, height: 2, channels: 1, pixels: [0, 1, 2, 3, 4, 5])
        #expect(image.applyingOrientation(2).pixels == [2, 1, 0, 5, 4, 3])
        #expect(image.applyingOrientation(3).pixels == [5, 4, 3, 2, 1, 0])
        #expect(image.applyingOrientation(4).pixels == [3, 4, 5, 0, 1, 2])
        #expect(image.applyingOrientation(5).pixels == [0, 3, 1, 4, 2, 5])
        #expect(image.applyingOrientation(6).pixels == [3, 0, 4, 1, 5, 2])
        #expect(image.applyingOrientation(7).pixels == [5, 2, 4, 1, 3, 0])
        #expect(image.applyingOrientation(8).pixels == [2, 5, 1, 4, 0, 3])
    }

    @Test func sixteenBitAndInterlacedPNGsDecodeToTheSamePixels() throws {
        let rgb = try decode("rgb.png")
        #expect(try decoder.header(of: TestPaths.fixtureBytes("images/rgb16.png")).bitDepth == 16)
        #expect(try decode("rgb16.png") == rgb)
        #expect(try decoder.header(of: TestPaths.fixtureBytes("images/interlaced.png")).interlaced)
        #expect(try decode("interlaced.png") == rgb)
        let grayPNG = try decode("gray.png")
        #expect(grayPNG.channels == 1 && grayPNG.width == 150)
    }

    @Test func alphaIsCompositedOverWhite() throws {
        // The alpha gradient runs from 0 at the top to 255 at the bottom.
        let rgba = try decode("rgba.png")
        let rgb = try decode("rgb.png")
        #expect(rgba.channels == 3)
        for x in [0, 75, 149] {
            for c in 0..<3 {
                #expect(rgba[0, x, c] >= 250, "top row must be white")
                #expect(abs(Int(rgba[99, x, c]) - Int(rgb[99, x, c])) <= 4, "bottom row must be the photo")
            }
        }
        let grayAlpha = try decode("gray-alpha.png")
        #expect(grayAlpha.channels == 1 && grayAlpha[0, 10, 0] >= 250)
        let palette = try decode("palette-transparent.png")
        let whites = stride(from: 0, to: palette.pixels.count, by: 3).filter {
            palette.pixels[$0] == 255 && palette.pixels[$0 + 1] == 255 && palette.pixels[$0 + 2] == 255
        }.count
        #expect(palette.channels == 3 && whites > 0 && whites < palette.width * palette.height,
                "the transparent palette entry must show white, the rest the photo")
    }

    @Test(arguments: ["bomb.jpg", "bomb.png"])
    func decompressionBombsAreRefusedFromTheHeader(_ name: String) throws {
        let data = try TestPaths.fixtureBytes("images/" + name)
        #expect(data.count < 30_000)
        #expect { try decoder.decode(data) } throws: { error in
            guard case let ImageError.tooManyPixels(width, height, limit) = error else { return false }
            return width * height > limit && limit == 100_000_000
        }
    }

    @Test func corruptFilesAreCorruptAndTruncatedFilesTruncated() throws {
        for name in ["corrupt.jpg", "corrupt.png"] {
            #expect(throws: (any Error).self, "\(name)") { try decode(name) }
            do { _ = try decode(name) } catch {
                guard case .corrupt = error as? ImageError else { Issue.record("\(name): \(error)"); continue }
            }
        }
        for name in ["truncated.jpg", "truncated.png"] {
            do { _ = try decode(name); Issue.record("\(name) decoded") } catch {
                guard case .truncated = error as? ImageError else { Issue.record("\(name): \(error)"); continue }
            }
        }
    }

    @Test func dctScaleIsTheSmallestThatCoversTheTarget() throws {
        let header = try decoder.header(of: TestPaths.fixtureBytes("images/chelsea.jpg"))
        #expect(ImageDecoder.scaleDenominator(for: header, minimum: (97, 64)) == 4)
        #expect(ImageDecoder.scaleDenominator(for: header, minimum: (57, 38)) == 8)
        #expect(ImageDecoder.scaleDenominator(for: header, minimum: (200, 150)) == 2)
        #expect(ImageDecoder.scaleDenominator(for: header, minimum: (451, 300)) == 1)
        let preprocessor = ImagePreprocessor(size: ImageSize(width: 64, height: 64))
        let minimum = preprocessor.minimumDecodeSize(forDisplaySize: (451, 300))
        #expect(minimum.width == 97 && minimum.height == 64)
    }
}
