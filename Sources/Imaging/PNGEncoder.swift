import CImageCodecs

/// Encodes 8-bit gray or RGB pixels as a PNG file (libpng).
public enum PNGEncoder {
    /// The PNG file bytes of `image`.
    public static func encode(_ image: DecodedImage) throws(ImageError) -> [UInt8] {
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 200)
        let rc = image.pixels.withUnsafeBufferPointer {
            gp_png_encode($0.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels), &out, &size, &message)
        }
        guard rc == 0, let out else {
            throw .corrupt("PNG encoding failed: " + String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { gp_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }
}
