import CImageCodecs

/// 8-bit pixels, rows packed top to bottom, channels interleaved: gray or
/// RGB, or either followed by a straight (not premultiplied) alpha channel
/// where a decoder was asked to keep it (`ImageDecoder.keepsAlpha`).
public struct DecodedImage: Sendable, Equatable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// 1 (gray), 3 (RGB), or 2 / 4 with alpha.
    public var channels: Int
    /// `width * height * channels` bytes.
    public var pixels: [UInt8]

    /// An image of `pixels` (row-major, `channels` bytes per pixel).
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition((1...4).contains(channels), "channels must be 1 to 4, got \(channels)")
        precondition(pixels.count == width * height * channels,
                     "pixels must hold \(width)x\(height)x\(channels) bytes, got \(pixels.count)")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Whether the last channel is alpha (2 or 4 channels).
    public var hasAlpha: Bool { channels == 2 || channels == 4 }

    /// Gray or RGB: alpha composited over white, as the decoder does by default.
    public func compositedOverWhite() -> DecodedImage {
        guard hasAlpha else { return self }
        let out = [UInt8](unsafeUninitializedCapacity: width * height * (channels - 1)) { buffer, initialized in
            pixels.withUnsafeBufferPointer { gp_over_white($0.baseAddress, buffer.baseAddress, width * height, channels == 4 ? 1 : 0) }
            initialized = width * height * (channels - 1)
        }
        return DecodedImage(width: width, height: height, channels: channels - 1, pixels: out)
    }

    /// The byte at row `y`, column `x`, channel `c`.
    public subscript(y: Int, x: Int, c: Int) -> UInt8 {
        pixels[(y * width + x) * channels + c]
    }
}
