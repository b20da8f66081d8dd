import CDeflate

/// A PNG built chunk by chunk for the row-decoding tests: any colour type and
/// bit depth, the rows given already filtered (filter byte first, any bytes
/// after it: every such stream is a valid image), the ancillary chunks libpng
/// acts on, and the faults a file in the wild has.
struct TestPNG {
    var width: Int
    var height: Int
    var colorType: UInt8
    var bitDepth: UInt8 = 8
    var interlaced = false
    /// PLTE entries (RGB triples).
    var palette: [UInt8] = []
    /// tRNS contents as written.
    var transparency: [UInt8]?
    /// gAMA in units of 1/100000.
    var gamma: UInt32?
    var sRGB = false
    /// IDAT chunks the zlib stream is cut into.
    var pieces = 1
    /// The zlib header's window (CINFO, 0...7); 7 is 32 KiB.
    var window: UInt8 = 7
    var corruptAdler = false
    var corruptIDATCRC = false
    /// Bytes cut from the end of the zlib stream.
    var truncatedBy = 0
    var filtered: [UInt8] = []
    /// The zlib stream to write instead of compressing `filtered` (header and Adler-32 included).
    var stream: [UInt8]?

    var channels: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType]! }
    var rowBytes: Int { (width * channels * Int(bitDepth) + 7) / 8 }

    /// Rows with filter bytes cycling through None, Sub, Up, Average and
    /// Paeth (or all `filter`), sample bytes from `generator` below `alphabet`.
    mutating func fillRows(filter: UInt8? = nil, alphabet: Int = 256, generator: inout some RandomNumberGenerator) {
        filtered = []
        for y in 0..<height {
            filtered.append(filter ?? UInt8(y % 5))
            for _ in 0..<rowBytes { filtered.append(UInt8(Int.random(in: 0..<alphabet, using: &generator))) }
        }
    }

    func encoded() -> [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = Self.be32(UInt32(width)) + Self.be32(UInt32(height))
        header += [bitDepth, colorType, 0, 0, interlaced ? 1 : 0]
        out += Self.chunk("IHDR", header)
        if let gamma { out += Self.chunk("gAMA", Self.be32(gamma)) }
        if sRGB { out += Self.chunk("sRGB", [0]) }
        if !palette.isEmpty { out += Self.chunk("PLTE", palette) }
        if let transparency { out += Self.chunk("tRNS", transparency) }
        if let given = self.stream {
            out += Self.chunk("IDAT", given) + Self.chunk("IEND", [])
            return out
        }
        var stream = Self.zlib(filtered)
        stream[0] = window << 4 | 8
        stream[1] = 0
        stream[1] = UInt8(31 - (Int(stream[0]) * 256) % 31)  // FCHECK: a multiple of 31
        if stream[1] == 31 { stream[1] = 0 }
        if corruptAdler { stream[stream.count - 1] ^= 0x5A }
        stream.removeLast(truncatedBy)
        let size = (stream.count + pieces - 1) / pieces
        for start in stride(from: 0, to: stream.count, by: size) {
            var idat = Self.chunk("IDAT", Array(stream[start..<min(stream.count, start + size)]))
            if corruptIDATCRC { idat[idat.count - 1] ^= 1 }
            out += idat
        }
        out += Self.chunk("IEND", [])
        return out
    }

    static func be32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        let crc = body.withUnsafeBytes { UInt32(libdeflate_crc32(0, $0.baseAddress, $0.count)) }
        return be32(UInt32(data.count)) + body + be32(crc)
    }

    static func zlib(_ data: [UInt8]) -> [UInt8] {
        let compressor = libdeflate_alloc_compressor(6)!
        defer { libdeflate_free_compressor(compressor) }
        var out = [UInt8](repeating: 0, count: libdeflate_zlib_compress_bound(compressor, data.count))
        let written = data.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { libdeflate_zlib_compress(compressor, input.baseAddress, input.count, $0.baseAddress, $0.count) }
        }
        return Array(out.prefix(written))
    }
}
