import CDeflate
import CImageCodecs
import Testing

/// Where the PNG fast path (libdeflate) and libpng (zlib) part ways: a
/// Huffman code with a single codeword is incomplete, and a stream that
/// reads its unused other half is refused by zlib ("invalid literal/length
/// code") while libdeflate decodes it as that one codeword. The bytes it
/// then gives are checked against the stream's Adler-32 (which libpng
/// skips), so the fast path returns exactly the image whose checksum the
/// file carries, where libpng returns an error. The README says so; this
/// pins that it is this case and no other.
@Suite struct PNGInflateLeniencyTests {
    /// Writes bits least significant first, Huffman codes most significant first (RFC 1951).
    struct BitWriter {
        var bytes: [UInt8] = []
        var count = 0
        mutating func put(_ value: Int, _ bits: Int) {
            for i in 0..<bits { bit((value >> i) & 1) }
        }
        mutating func code(_ value: Int, _ bits: Int) {
            for i in stride(from: bits - 1, through: 0, by: -1) { bit((value >> i) & 1) }
        }
        mutating func bit(_ b: Int) {
            if count % 8 == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= UInt8(b) << UInt8(count % 8)
            count += 1
        }
    }

    /// `data` as non-final stored blocks, then a final dynamic block whose
    /// literal/length code has one codeword (end-of-block, "0"), read as `endBit`.
    static func stream(_ data: [UInt8], endBit: Int) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x9C]
        for start in stride(from: 0, to: data.count, by: 65535) {
            let piece = Array(data[start..<min(data.count, start + 65535)])
            let n = UInt16(piece.count)
            out += [0x00, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8)] + piece
        }
        var w = BitWriter()
        w.put(1, 1); w.put(2, 2)                       // BFINAL, dynamic Huffman
        w.put(0, 5); w.put(0, 5); w.put(14, 4)         // 257 literal/length codes, 1 distance code, 18 code-length codes
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1]
        let lengths = [18: 1, 0: 2, 1: 2]              // code-length codes: 18 "0", 0 "10", 1 "11"
        for symbol in order { w.put(lengths[symbol] ?? 0, 3) }
        w.code(0, 1); w.put(138 - 11, 7)               // 138 zero lengths
        w.code(0, 1); w.put(118 - 11, 7)               // 118 more: symbols 0...255 unused
        w.code(3, 2)                                   // end-of-block has length 1
        w.code(2, 2)                                   // the one distance code is unused
        w.put(endBit, 1)
        out += w.bytes
        let adler = data.withUnsafeBytes { UInt32(libdeflate_adler32(1, $0.baseAddress, $0.count)) }
        return out + TestPNG.be32(adler)
    }

    @Test func anUnusedCodewordIsReadByTheFastPathAndRefusedByLibpng() {
        var png = PNGRowsTests.image(2, width: 23, height: 9, filter: 0)
        png.stream = Self.stream(png.filtered, endBit: 0)
        let (valid, validFast) = PNGRowsTests.decode(png.encoded(), libpngOnly: false)
        let (validLibpng, _) = PNGRowsTests.decode(png.encoded(), libpngOnly: true)
        #expect(valid.status == GP_OK && validFast && valid == validLibpng, "the hand-made stream itself decodes both ways alike")

        png.stream = Self.stream(png.filtered, endBit: 1)
        let (mine, tookFast) = PNGRowsTests.decode(png.encoded(), libpngOnly: false)
        let (libpng, _) = PNGRowsTests.decode(png.encoded(), libpngOnly: true)
        #expect(libpng.status != GP_OK, "zlib (through libpng) refuses the unused codeword")
        #expect(mine.status == GP_OK && tookFast, "libdeflate reads it as end-of-block")
        #expect(mine == valid, "and the rows are those the Adler-32 vouches for")
    }

    @Test func aChangedByteUnderAValidCRCGoesToLibpngAsBefore() {
        var png = PNGRowsTests.image(2, width: 23, height: 9, filter: 0)
        var stream = Self.stream(png.filtered, endBit: 0)
        stream[40] ^= 0x10   // a pixel byte inside the stored block: the Adler-32 no longer matches
        png.stream = stream
        let (mine, tookFast) = PNGRowsTests.decode(png.encoded(), libpngOnly: false)
        #expect(!tookFast, "libdeflate's Adler-32 check declines it")
        #expect(mine == PNGRowsTests.decode(png.encoded(), libpngOnly: true).0)
    }
}
