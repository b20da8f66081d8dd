/// An RGB canvas for plots.
struct Canvas {
    let width: Int, height: Int
    var pixels: [UInt8]

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 255, count: width * height * 3)
    }

    mutating func set(_ x: Int, _ y: Int, _ color: (UInt8, UInt8, UInt8)) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = (y * width + x) * 3
        pixels[i] = color.0; pixels[i + 1] = color.1; pixels[i + 2] = color.2
    }

    mutating func rect(_ x: Int, _ y: Int, _ w: Int, _ h: Int, _ color: (UInt8, UInt8, UInt8)) {
        for yy in y..<(y + h) { for xx in x..<(x + w) { set(xx, yy, color) } }
    }

    /// A line of thickness about `thickness` (Bresenham with a square pen).
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, _ color: (UInt8, UInt8, UInt8), thickness: Int = 1) {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        let r = thickness / 2
        while true {
            for oy in -r...r { for ox in -r...r { set(x + ox, y + oy, color) } }
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    mutating func text(_ string: String, x: Int, y: Int, scale: Int = 2, color: (UInt8, UInt8, UInt8) = (40, 40, 40)) {
        var cx = x
        for ch in string.uppercased() {
            if let rows = BitmapFont.glyphs[ch] {
                for (ry, bits) in rows.enumerated() {
                    for rx in 0..<BitmapFont.width where bits & (0x10 >> UInt8(rx)) != 0 {
                        rect(cx + rx * scale, y + ry * scale, scale, scale, color)
                    }
                }
            }
            cx += (BitmapFont.width + 1) * scale
        }
    }
}
