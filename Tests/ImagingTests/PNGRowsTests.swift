import CImageCodecs
import Testing

/// gp_png_decode_rows reads most PNGs itself (libdeflate, its own
/// unfiltering and expansion: png_rows.c) and the rest through libpng. Each
/// image here is decoded both ways, libpng being the independent reference:
/// the same status, the same rows in order, bit for bit, and the fast path
/// taken exactly where it should be.
@Suite struct PNGRowsTests {
    struct Decoded: Equatable {
        var status: Int32
        var rows: [UInt8]
        var order: [Int32]
    }

    final class Collector {
        let rowBytes: Int
        var rows: [UInt8] = []
        var order: [Int32] = []
        init(rowBytes: Int) { self.rowBytes = rowBytes }
    }

    static func decode(_ png: [UInt8], libpngOnly: Bool) -> (Decoded, fast: Bool) {
        var header = gp_image_info()
        _ = gp_png_read_header(png, png.count, &header)
        let collector = Collector(rowBytes: Int(header.width) * Int(header.channels + header.has_alpha))
        var info = gp_image_info()
        let status = png.withUnsafeBufferPointer { bytes in
            gp_png_decode_rows_via(bytes.baseAddress, bytes.count, { context, row, y in
                let collector = Unmanaged<Collector>.fromOpaque(context!).takeUnretainedValue()
                collector.rows.append(contentsOf: UnsafeBufferPointer(start: row, count: collector.rowBytes))
                collector.order.append(y)
            }, Unmanaged.passUnretained(collector).toOpaque(), libpngOnly ? 1 : 0, &info)
        }
        return (Decoded(status: status, rows: collector.rows, order: collector.order), info.fast_rows != 0)
    }

    /// Decodes both ways; `fast`: whether the fast path must take it.
    static func check(_ png: TestPNG, fast: Bool, _ what: String) {
        let bytes = png.encoded()
        let (mine, tookFast) = decode(bytes, libpngOnly: false)
        let (libpng, _) = decode(bytes, libpngOnly: true)
        #expect(mine == libpng, "\(what): rows differ from libpng's (status \(mine.status) vs \(libpng.status))")
        #expect(tookFast == fast, "\(what): fast path \(tookFast), expected \(fast)")
    }

    static func image(_ colorType: UInt8, bits: UInt8 = 8, width: Int = 37, height: Int = 11, seed: UInt64 = 1,
                      alphabet: Int = 256, filter: UInt8? = nil) -> TestPNG {
        var png = TestPNG(width: width, height: height, colorType: colorType, bitDepth: bits)
        if colorType == 3 {
            // Fewer entries than the indices reach: libpng shows those black.
            png.palette = (0..<15).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
        }
        var generator = SplitMix64(seed: seed)
        png.fillRows(filter: filter, alphabet: alphabet, generator: &generator)
        return png
    }

    @Test(arguments: [UInt8(0), 2, 4, 6])
    func everyFilterOfEveryTrueColourLayout(colorType: UInt8) {
        for (width, height) in [(1, 1), (2, 7), (37, 11), (64, 3)] {
            for filter in [nil, UInt8(0), 1, 2, 3, 4] {
                Self.check(Self.image(colorType, width: width, height: height, filter: filter), fast: true,
                           "colour type \(colorType) \(width)x\(height) filter \(filter.map(String.init) ?? "cycling")")
            }
        }
    }

    @Test(arguments: [UInt8(1), 2, 4, 8])
    func palettesAtEveryDepthWithAndWithoutTransparency(bits: UInt8) {
        for transparency in [nil, [UInt8(0), 128, 255], [UInt8](repeating: 7, count: 5)] {
            var png = Self.image(3, bits: bits, width: 29, seed: UInt64(bits))
            png.transparency = transparency
            Self.check(png, fast: true, "palette \(bits)-bit, tRNS \(transparency?.count ?? 0)")
        }
    }

    @Test func aTransparentColourKeyBecomesAnAlphaChannel() {
        // Samples from {0, 1}, rows unfiltered: the key colour turns up often.
        var gray = Self.image(0, alphabet: 2, filter: 0)
        gray.transparency = [0, 1]
        Self.check(gray, fast: true, "gray with a key")
        var rgb = Self.image(2, alphabet: 2, filter: 0)
        rgb.transparency = [0, 1, 0, 0, 0, 1]
        Self.check(rgb, fast: true, "RGB with a key")
        // Filtered rows too, and a key no 8-bit sample can be (libpng's to judge).
        var generator = SplitMix64(seed: 99)
        rgb.fillRows(alphabet: 2, generator: &generator)
        Self.check(rgb, fast: true, "RGB with a key, filtered rows")
        gray.transparency = [1, 1]
        Self.check(gray, fast: false, "gray with an out-of-range key")
    }

    @Test(arguments: [UInt32(45455), 55000, 100000, 30000, 43000, 48000])
    func theFileGammaIsCorrectedAsLibpngDoes(gamma: UInt32) {
        for colorType in [UInt8(0), 2, 3, 4, 6] {
            var png = Self.image(colorType, seed: UInt64(gamma))
            png.gamma = gamma
            if colorType == 3 { png.transparency = [10, 200] }
            Self.check(png, fast: true, "gAMA \(gamma), colour type \(colorType)")
        }
        var keyed = Self.image(2, alphabet: 2, filter: 0)
        keyed.gamma = gamma
        keyed.transparency = [0, 1, 0, 0, 0, 1]
        Self.check(keyed, fast: true, "gAMA \(gamma), RGB with a key")
    }

    @Test func anSRGBChunkLeavesTheSamples() {
        var png = Self.image(6)
        png.sRGB = true
        Self.check(png, fast: true, "sRGB chunk")
    }

    @Test func imagesTheFastPathLeavesToLibpngComeOutTheSame() {
        Self.check(Self.image(2, bits: 16), fast: false, "16-bit RGB")
        Self.check(Self.image(0, bits: 4), fast: false, "4-bit gray")
        var near = Self.image(2)
        near.gamma = 43182  // sRGB's x 0.95: on libpng's threshold
        Self.check(near, fast: false, "gamma on the threshold")
        var small = Self.image(6)
        small.window = 4
        Self.check(small, fast: false, "a 4 KiB zlib window")
        var adler = Self.image(2)
        adler.corruptAdler = true
        Self.check(adler, fast: false, "a wrong Adler-32 (libpng ignores it)")
    }

    @Test func theStreamCutIntoManyIDATChunks() {
        for pieces in [2, 3, 17] {
            var png = Self.image(6, width: 50, height: 20)
            png.pieces = pieces
            Self.check(png, fast: true, "\(pieces) IDAT chunks")
        }
    }

    @Test func brokenFilesFailAsLibpngFails() {
        var filter = Self.image(2)
        filter.filtered[3 * (filter.rowBytes + 1)] = 5
        var crc = Self.image(2)
        crc.corruptIDATCRC = true
        var short = Self.image(2)
        short.truncatedBy = 40
        for (png, what) in [(filter, "filter type 5"), (crc, "an IDAT CRC"), (short, "a truncated stream")] {
            let (mine, tookFast) = Self.decode(png.encoded(), libpngOnly: false)
            #expect(mine.status != GP_OK, "\(what) decoded")
            #expect(!tookFast)
            #expect(mine == Self.decode(png.encoded(), libpngOnly: true).0, "\(what)")
        }
    }
}

/// A small seeded generator, so that every run tests the same images.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
