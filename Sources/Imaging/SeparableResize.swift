import CImageCodecs

/// The two passes of a separable resize from 8-bit pixels to floats in
/// 0...255, vertical first (`StreamingResize.add`, one source row at a time).
///
/// The vertical pass reads whole source rows front to back and blends them
/// into one row of floats per output row (summing the rows a box filter
/// weighs alike in 16 bits first): contiguous adds and multiply-adds the
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
        // The vertical pass is the streaming one, fed the rows the taps use, in order.
        let streaming = StreamingResize(self)
        let rowBytes = sourceWidth * channels
        for y in vertical.taps.first!.first..<(vertical.taps.last!.first + vertical.taps.last!.count) {
            streaming.add(source.baseAddress! + y * rowBytes, y: y)
        }
        streaming.finish(into: output)
    }

    /// The horizontal pass over the vertical pass's rows.
    func horizontalPass(_ blended: BlendedRows, into output: UnsafeMutableBufferPointer<Float>) {
        let c = outputChannels
        let outputWidth = horizontal.taps.count
        horizontal.weights.withUnsafeBufferPointer { weights in
            for y in 0..<vertical.taps.count {
                let row = blended.rows + y * blended.span
                let outRow = output.baseAddress! + y * outputWidth * c
                var x = 0
                if c == 3 {
                    // Four output pixels at a time: four independent chains of additions instead of one
                    // waiting on the last (each pixel's products and sums in the same order as alone).
                    while x + 4 <= outputWidth {
                        var sums = (SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>(), SIMD4<Float>())
                        let t = (horizontal.taps[x], horizontal.taps[x + 1], horizontal.taps[x + 2], horizontal.taps[x + 3])
                        let shared = min(t.0.count, t.1.count, t.2.count, t.3.count)
                        let f = (row + (t.0.first - blended.columnFirst) * 3, row + (t.1.first - blended.columnFirst) * 3,
                                 row + (t.2.first - blended.columnFirst) * 3, row + (t.3.first - blended.columnFirst) * 3)
                        for k in 0..<shared {
                            sums.0 += weights[t.0.offset + k] * UnsafeRawPointer(f.0 + k * 3).loadUnaligned(as: SIMD4<Float>.self)
                            sums.1 += weights[t.1.offset + k] * UnsafeRawPointer(f.1 + k * 3).loadUnaligned(as: SIMD4<Float>.self)
                            sums.2 += weights[t.2.offset + k] * UnsafeRawPointer(f.2 + k * 3).loadUnaligned(as: SIMD4<Float>.self)
                            sums.3 += weights[t.3.offset + k] * UnsafeRawPointer(f.3 + k * 3).loadUnaligned(as: SIMD4<Float>.self)
                        }
                        for k in shared..<t.0.count { sums.0 += weights[t.0.offset + k] * UnsafeRawPointer(f.0 + k * 3).loadUnaligned(as: SIMD4<Float>.self) }
                        for k in shared..<t.1.count { sums.1 += weights[t.1.offset + k] * UnsafeRawPointer(f.1 + k * 3).loadUnaligned(as: SIMD4<Float>.self) }
                        for k in shared..<t.2.count { sums.2 += weights[t.2.offset + k] * UnsafeRawPointer(f.2 + k * 3).loadUnaligned(as: SIMD4<Float>.self) }
                        for k in shared..<t.3.count { sums.3 += weights[t.3.offset + k] * UnsafeRawPointer(f.3 + k * 3).loadUnaligned(as: SIMD4<Float>.self) }
                        let o = outRow + x * 3
                        o[0] = sums.0[0]; o[1] = sums.0[1]; o[2] = sums.0[2]
                        o[3] = sums.1[0]; o[4] = sums.1[1]; o[5] = sums.1[2]
                        o[6] = sums.2[0]; o[7] = sums.2[1]; o[8] = sums.2[2]
                        o[9] = sums.3[0]; o[10] = sums.3[1]; o[11] = sums.3[2]
                        x += 4
                    }
                }
                for (x, tap) in horizontal.taps.enumerated().dropFirst(x) {
                    let first = row + (tap.first - blended.columnFirst) * c
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

/// The vertical pass's output: one row of floats per output row, over the
/// source columns the horizontal pass needs (`span` floats from column
/// `columnFirst`), a row of bytes for a source row composited over white,
/// and a row of 16-bit sums of source rows (`StreamingResize`), zeroed.
final class BlendedRows {
    let columnFirst: Int
    let span: Int
    let rows: UnsafeMutablePointer<Float>
    let composited: UnsafeMutablePointer<UInt8>
    let sums: UnsafeMutablePointer<UInt16>

    init(_ resize: SeparableResize) {
        let taps = resize.horizontal.taps
        columnFirst = taps.first!.first
        span = (taps.last!.first + taps.last!.count - columnFirst) * resize.outputChannels
        let count = resize.vertical.taps.count * span
        // One float more at the end: the horizontal pass reads four at a time.
        rows = .allocate(capacity: count + 1)
        rows[count] = 0
        composited = .allocate(capacity: resize.outputChannels != resize.channels ? span : 0)
        sums = .allocate(capacity: span)
        sums.initialize(repeating: 0, count: span)
    }

    deinit {
        rows.deallocate()
        composited.deallocate()
        sums.deallocate()
    }
}
