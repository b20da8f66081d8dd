import CImageCodecs

/// The two passes of a separable resize from 8-bit pixels to floats in
/// 0...255, vertical first.
///
/// The vertical pass reads whole source rows front to back and blends them
/// into one row of floats per output row: contiguous multiply-adds the
/// compiler turns into vector code, over every source pixel of the window
/// (the bulk of the work; a full-size PNG has thousands of rows; the loops
/// are C kernels in CImageCodecs, built for AVX2 too). The
/// horizontal pass then works on only as many rows as the output has.
struct SeparableResize {
    let horizontal: AxisFilter
    let vertical: AxisFilter
    /// Channels of the source pixels: 1 or 3, or 2 or 4 with straight alpha,
    /// which the vertical pass composites over white, only over the pixels
    /// it reads (the columns and rows the horizontal pass and the crop need).
    let channels: Int

    /// Channels of the output: the source's, less alpha.
    var outputChannels: Int { channels == 2 || channels == 4 ? channels - 1 : channels }

    /// Resamples `source` (rows of `sourceWidth` x `channels` bytes) into
    /// `output`: `vertical.taps.count` rows of `horizontal.taps.count` x
    /// `outputChannels` floats in 0...255.
    func run(_ source: UnsafeBufferPointer<UInt8>, sourceWidth: Int, into output: UnsafeMutableBufferPointer<Float>) {
        let c = outputChannels
        let alpha = c != channels
        let columnFirst = horizontal.taps.first!.first
        let columnLast = horizontal.taps.last!.first + horizontal.taps.last!.count - 1
        let span = (columnLast - columnFirst + 1) * c
        // One source row's span composited over white, when the source has alpha.
        let composited = UnsafeMutablePointer<UInt8>.allocate(capacity: alpha ? span : 0)
        defer { composited.deallocate() }
        let outputRows = vertical.taps.count
        let outputWidth = horizontal.taps.count
        // One blended row of the columns the horizontal pass needs, per output row.
        // One float more at the end: the horizontal pass reads four at a time.
        let blended = UnsafeMutablePointer<Float>.allocate(capacity: outputRows * span + 1)
        blended[outputRows * span] = 0
        defer { blended.deallocate() }
        vertical.weights.withUnsafeBufferPointer { weights in
            for (y, tap) in vertical.taps.enumerated() {
                let row = blended + y * span
                for k in 0..<tap.count {
                    let weight = weights[tap.offset + k]
                    var sourceRow = UnsafePointer(source.baseAddress! + ((tap.first + k) * sourceWidth + columnFirst) * channels)
                    if alpha {
                        gp_over_white(sourceRow, composited, columnLast - columnFirst + 1, c == 3 ? 1 : 0)
                        sourceRow = UnsafePointer(composited)
                    }
                    if k == 0 {
                        gp_blend_row_first(sourceRow, weight, row, span)
                    } else {
                        gp_blend_row_add(sourceRow, weight, row, span)
                    }
                }
            }
        }
        horizontal.weights.withUnsafeBufferPointer { weights in
            for y in 0..<outputRows {
                let row = blended + y * span
                let outRow = output.baseAddress! + y * outputWidth * c
                for (x, tap) in horizontal.taps.enumerated() {
                    let first = row + (tap.first - columnFirst) * c
                    if c == 3 {
                        // The three channels in one vector (the fourth lane is the next pixel's, unused):
                        // the same products and sums as one channel at a time, a third of the instructions.
                        var sum = SIMD4<Float>()
                        for k in 0..<tap.count {
                            sum += weights[tap.offset + k] * UnsafeRawPointer(first + k * 3).loadUnaligned(as: SIMD4<Float>.self)
                        }
                        outRow[x * 3] = sum[0]; outRow[x * 3 + 1] = sum[1]; outRow[x * 3 + 2] = sum[2]
                    } else {
                        var a: Float = 0
                        for k in 0..<tap.count { a += weights[tap.offset + k] * first[k] }
                        outRow[x] = a
                    }
                }
            }
        }
    }
}
