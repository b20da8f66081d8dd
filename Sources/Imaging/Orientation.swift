extension DecodedImage {
    /// The image turned upright according to an EXIF orientation value
    /// (1 = as stored; 2...8 mirror and/or rotate; 5...8 swap width and height).
    public func applyingOrientation(_ orientation: Int) -> DecodedImage {
        guard orientation >= 2 && orientation <= 8 else { return self }
        let swaps = orientation >= 5
        let outW = swaps ? height : width
        let outH = swaps ? width : height
        let c = channels
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outH {
                    for x in 0..<outW {
                        // (sx, sy): where display pixel (x, y) comes from in the stored image.
                        let sx: Int, sy: Int
                        switch orientation {
                        case 2: (sx, sy) = (width - 1 - x, y)
                        case 3: (sx, sy) = (width - 1 - x, height - 1 - y)
                        case 4: (sx, sy) = (x, height - 1 - y)
                        case 5: (sx, sy) = (y, x)
                        case 6: (sx, sy) = (y, height - 1 - x)
                        case 7: (sx, sy) = (width - 1 - y, height - 1 - x)
                        default: (sx, sy) = (width - 1 - y, x)
                        }
                        let s = (sy * width + sx) * c
                        let d = (y * outW + x) * c
                        for k in 0..<c { dst[d + k] = src[s + k] }
                    }
                }
            }
        }
        return DecodedImage(width: outW, height: outH, channels: c, pixels: out)
    }
}
