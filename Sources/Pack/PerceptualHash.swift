import Imaging
/// A 64-bit perceptual hash of an image: dHash (difference hash).
///
/// `pack` hashes each image as decoded, before it is cropped or resized to the
/// target (a crop to the target's shape would magnify a small crop of the
/// source into a large shift). The image is reduced to a 9x8 gray thumbnail by area averaging, and bit
/// 8y + x is set when pixel (x, y) is darker than its right neighbour: the
/// signs of 64 horizontal gradients. Re-encoding (JPEG at any quality),
/// rescaling, a small crop, format conversion and brightness or contrast
/// changes move few of them, while another photo moves about half; unlike
/// pHash it needs no DCT, and unlike aHash it does not depend on the mean.
/// Colour is turned to gray as luma (0.299 R + 0.587 G + 0.114 B).
/// A left-right flip reverses every row's gradients, so a mirrored photo is
/// far from the original (ganprep keeps mirrored images: for a GAN they are
/// new data, the flip augmentation on disk).
public enum PerceptualHash {
    /// The hash of a decoded image (gray or RGB; colour to gray as luma;
    /// alpha composited over white first).
    public static func dHash(_ image: DecodedImage) -> UInt64 {
        let image = image.compositedOverWhite()
        let (width, height, channels) = (image.width, image.height, image.channels)
        precondition(width > 0 && height > 0 && (channels == 1 || channels == 3), "dHash of \(width)x\(height)x\(channels)")
        // Area-average into 9 columns x 8 rows: each source pixel weighs by its
        // overlap with a cell. Rows are combined the way ColumnPlan combines a row's pixels.
        let plan = ColumnPlan(width: width), rows = overlaps(height, cells: 8)
        var cells = [Double](repeating: 0, count: 72), row = [Double](repeating: 0, count: 9)
        var r = 0
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<height {
                plan.sums(of: pixels.baseAddress! + y * width * channels, channels: channels, into: &row)
                while r < rows.count && rows[r].pixel == y {
                    let (_, cy, wy) = rows[r]
                    for k in 0..<9 { cells[cy * 9 + k] += row[k] * wy }
                    r += 1
                }
            }
        }
        var weights = [Double](repeating: 0, count: 72)
        for (_, cy, wy) in rows { for k in 0..<9 { weights[cy * 9 + k] += plan.rowWeights[k] * wy } }
        for i in 0..<72 where weights[i] > 0 { cells[i] /= weights[i] }
        var hash: UInt64 = 0
        for y in 0..<8 {
            for x in 0..<8 where cells[y * 9 + x] < cells[y * 9 + x + 1] {
                hash |= 1 << UInt64(y * 8 + x)
            }
        }
        return hash
    }

    /// How a row of `width` pixels falls into 9 cells: per cell the range of
    /// pixels wholly inside it (summed as integers, then weighed once), and the
    /// few pixels that straddle two cells (added with their share).
    struct ColumnPlan {
        var first = [Int](repeating: 0, count: 9), last = [Int](repeating: -1, count: 9)
        var straddling: [(pixel: Int, cell: Int, weight: Double)] = []
        /// Each cell's total weight in a row.
        var rowWeights = [Double](repeating: 0, count: 9)
        /// The weight of a pixel wholly inside a cell.
        let whole: Double

        init(width: Int) {
            let columns = PerceptualHash.overlaps(width, cells: 9)
            whole = Double(9) / Double(width)
            var pixelCells = [Int](repeating: 0, count: width)
            for (x, _, _) in columns { pixelCells[x] += 1 }
            for (x, c, w) in columns {
                rowWeights[c] += w
                if pixelCells[x] == 1 && w >= whole - 1e-12 {
                    if last[c] < first[c] { first[c] = x }
                    last[c] = x
                } else {
                    straddling.append((x, c, w))
                }
            }
        }

        /// The 9 cells' weighted sums of one row's luma (`channels` 1 or 3).
        func sums(of line: UnsafePointer<UInt8>, channels: Int, into row: inout [Double]) {
            for c in 0..<9 {
                guard last[c] >= first[c] else { row[c] = 0; continue }
                if channels == 3 {
                    var red: UInt32 = 0, green: UInt32 = 0, blue: UInt32 = 0
                    var p = line + 3 * first[c]
                    for _ in first[c]...last[c] {
                        red &+= UInt32(p[0]); green &+= UInt32(p[1]); blue &+= UInt32(p[2])
                        p += 3
                    }
                    row[c] = whole * PerceptualHash.luma(Double(red), Double(green), Double(blue))
                } else {
                    var sum: UInt32 = 0
                    for x in first[c]...last[c] { sum &+= UInt32(line[x]) }
                    row[c] = whole * Double(sum)
                }
            }
            for (x, c, w) in straddling {
                let p = line + x * channels
                row[c] += w * (channels == 3 ? PerceptualHash.luma(Double(p[0]), Double(p[1]), Double(p[2])) : Double(p[0]))
            }
        }
    }

    /// Luma (ITU-R 601, as PIL's "L" and imagededup): colour to gray.
    @inline(__always)
    static func luma(_ r: Double, _ g: Double, _ b: Double) -> Double { 0.299 * r + 0.587 * g + 0.114 * b }

    /// Each pixel's overlap with each cell it touches when `n` pixels are
    /// divided into `cells` equal cells, in pixel order (also for fewer pixels than cells).
    private static func overlaps(_ n: Int, cells: Int) -> [(pixel: Int, cell: Int, weight: Double)] {
        var result: [(pixel: Int, cell: Int, weight: Double)] = []
        result.reserveCapacity(n + cells)
        let scale = Double(cells) / Double(n)
        for i in 0..<n {
            let start = Double(i) * scale, end = Double(i + 1) * scale
            var c = min(cells - 1, Int(start))
            while c < cells && Double(c) < end {
                let overlap = min(end, Double(c + 1)) - max(start, Double(c))
                if overlap > 0 { result.append((i, c, overlap)) }
                c += 1
            }
        }
        return result
    }

    /// Bits that differ between two hashes.
    @inline(__always)
    public static func distance(_ a: UInt64, _ b: UInt64) -> Int { (a ^ b).nonzeroBitCount }
}
