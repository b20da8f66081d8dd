import CImageCodecs

/// Encodes 8-bit gray or RGB pixels as a PNG file (libpng).
public enum PNGEncoder {
    /// The PNG file bytes of `image` (an image with alpha is composited over white first).
    /// - Parameter fast: speed over size (libpng's PNG_IMAGE_FLAG_FAST), for
    ///   images written while something waits, such as a training run's grids.
    public static func encode(_ image: DecodedImage, fast: Bool = false) throws(ImageError) -> [UInt8] {
        let image = image.compositedOverWhite()
        var out: UnsafeMutablePointer<UInt8>?
        var size = 0
        var message = [CChar](repeating: 0, count: 200)
        let rc = image.pixels.withUnsafeBufferPointer {
            gp_png_encode($0.baseAddress, Int32(image.width), Int32(image.height), Int32(image.channels), fast ? 1 : 0, &out, &size, &message)
        }
        guard rc == 0, let out else {
            throw .corrupt("PNG encoding failed: " + String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        defer { gp_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: size))
    }
}
