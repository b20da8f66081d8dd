// gp_png_decode_rows's own reading of PNG image data (png_rows.c: libdeflate,
// unfiltering, palette and colour-key expansion, gamma) against libpng's,
// under libFuzzer. A fuzzer's PNG almost never gets past the chunk CRCs, so
// the input here is what goes inside one: a few bytes that choose the header
// (colour type, bit depth, width, palette, tRNS, gAMA or sRGB, how many IDAT
// chunks) and then the filtered rows themselves; the harness writes a PNG
// with correct CRCs around them. Both paths must give the same status and
// the same rows, bit for bit.
import CDeflate
import CImageCodecs
import FuzzSupport

private final class Rows {
    let rowBytes: Int
    var bytes: [UInt8] = []
    init(rowBytes: Int) { self.rowBytes = rowBytes }
}

private func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }

private func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
    let body = Array(type.utf8) + data
    return be32(UInt32(data.count)) + body + be32(UInt32(body.withUnsafeBytes { libdeflate_crc32(0, $0.baseAddress, $0.count) }))
}

private func png(from input: [UInt8]) -> [UInt8]? {
    guard input.count >= 8 else { return nil }
    let colorType: UInt8 = [0, 2, 3, 4, 6][Int(input[0]) % 5]
    let bits: UInt8 = colorType == 3 ? [1, 2, 4, 8][Int(input[1]) % 4] : [8, 8, 8, 16][Int(input[1]) % 4]
    let width = Int(input[2]) % 64 + 1, flags = input[3]
    let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(colorType)]!
    let rowBytes = (width * channels * Int(bits) + 7) / 8
    let raw = Array(input[8...])
    let height = max(1, raw.count / (rowBytes + 1))
    var rows = raw.prefix(height * (rowBytes + 1)).map { $0 }
    rows += [UInt8](repeating: 0, count: height * (rowBytes + 1) - rows.count)
    var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    out += chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [bits, colorType, 0, 0, 0])
    if flags & 2 != 0 { out += chunk("gAMA", be32(20000 + (UInt32(input[4]) << 8 | UInt32(input[5])))) }
    if flags & 4 != 0 { out += chunk("sRGB", [0]) }
    if colorType == 3 {
        let entries = Int(input[6]) + 1
        out += chunk("PLTE", (0..<(3 * entries)).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ Int(input[7])) })
    }
    if flags & 1 != 0 {
        let key = colorType == 0 ? [0, input[7] & 1] : colorType == 2 ? [0, input[7] & 1, 0, input[6] & 1, 0, 1] : []
        let alpha = colorType == 3 ? Array(input.suffix(Int(input[7]) % 17)) : []
        if !key.isEmpty || !alpha.isEmpty { out += chunk("tRNS", key.isEmpty ? alpha : key) }
    }
    let compressor = libdeflate_alloc_compressor(Int32(flags >> 5) + 1)!
    defer { libdeflate_free_compressor(compressor) }
    var stream = [UInt8](repeating: 0, count: libdeflate_zlib_compress_bound(compressor, rows.count))
    let written = rows.withUnsafeBytes { r in stream.withUnsafeMutableBytes { libdeflate_zlib_compress(compressor, r.baseAddress, r.count, $0.baseAddress, $0.count) } }
    stream.removeLast(stream.count - written)
    let pieces = Int(flags >> 3 & 3) + 1, size = (stream.count + pieces - 1) / pieces
    for start in stride(from: 0, to: stream.count, by: size) { out += chunk("IDAT", Array(stream[start..<min(stream.count, start + size)])) }
    return out + chunk("IEND", [])
}

private func decode(_ file: [UInt8], libpngOnly: Bool) -> (Int32, [UInt8]) {
    var header = gp_image_info()
    guard gp_png_read_header(file, file.count, &header) == GP_OK else { return (-1, []) }
    let rows = Rows(rowBytes: Int(header.width) * Int(header.channels + header.has_alpha))
    var info = gp_image_info()
    let status = file.withUnsafeBufferPointer { bytes in
        gp_png_decode_rows_via(bytes.baseAddress, bytes.count, { context, row, _ in
            let rows = Unmanaged<Rows>.fromOpaque(context!).takeUnretainedValue()
            rows.bytes.append(contentsOf: UnsafeBufferPointer(start: row, count: rows.rowBytes))
        }, Unmanaged.passUnretained(rows).toOpaque(), libpngOnly ? 1 : 0, &info)
    }
    return (status, rows.bytes)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPNGRows(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard let file = png(from: Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    let (mine, libpng) = (decode(file, libpngOnly: false), decode(file, libpngOnly: true))
    if mine.0 != libpng.0 { fatalError("status \(mine.0) where libpng's is \(libpng.0)") }
    if mine.1 != libpng.1 { fatalError("rows differ from libpng's") }
    return 0
}

@_cdecl("fuzz_png_rows_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    runLibFuzzer(argc, argv, fuzzPNGRows)
}
