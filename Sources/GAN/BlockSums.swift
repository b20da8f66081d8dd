/// Per-feature sums of two terms over the rows of a row-major
/// [rows, features] matrix, the way BatchNorm takes its statistics: in
/// Float over blocks of `blockRows` rows, the blocks' sums then added in
/// Double in block order. The blocks are spread over the BLAS threads; the
/// result does not depend on their number. Keeps its block buffer between
/// calls.
struct BlockSums {
    static let blockRows = 64
    private var partials: [Float] = []

    /// `terms(i, first, second)` adds row i's two terms, feature by feature,
    /// into `first[0..<features]` and `second[0..<features]`.
    mutating func callAsFunction(rows: Int, features c: Int,
                                 _ terms: (Int, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> (first: [Double], second: [Double]) {
        let blocks = (rows + Self.blockRows - 1) / Self.blockRows
        if partials.count < blocks * 2 * c { partials = [Float](repeating: 0, count: blocks * 2 * c) }
        var first = [Double](repeating: 0, count: c), second = [Double](repeating: 0, count: c)
        partials.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            forEachChunk(blocks, minimumChunk: Swift.max(1, (1 << 15) / (Self.blockRows * c)), alignment: 1) { range in
                for block in range {
                    let p = base + block * 2 * c
                    p.update(repeating: 0, count: 2 * c)
                    for i in (block * Self.blockRows)..<Swift.min(rows, (block + 1) * Self.blockRows) { terms(i, p, p + c) }
                }
            }
            for block in 0..<blocks {
                let p = base + block * 2 * c
                for j in 0..<c {
                    first[j] += Double(p[j])
                    second[j] += Double(p[c + j])
                }
            }
        }
        return (first, second)
    }
}

/// Runs `body` over the rows of a [rows, features] matrix, split over the
/// BLAS threads when there are enough elements to be worth one.
@inline(__always)
func forEachRows(_ rows: Int, features: Int, _ body: (Range<Int>) -> Void) {
    forEachChunk(rows, minimumChunk: Swift.max(1, (1 << 16) / Swift.max(1, features)), alignment: 1, body)
}
