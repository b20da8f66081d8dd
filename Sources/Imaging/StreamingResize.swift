import CImageCodecs

/// A `SeparableResize` fed one source row at a time, top to bottom, as
/// libpng decodes them: each row is composited (when it has alpha) and
/// blended into the output rows whose taps cover it while it is still in
/// the cache, and no whole decoded image is ever held.
///
/// Every output row gets its taps' rows in order, whichever rows feed
/// it: `SeparableResize.run` feeds a whole decoded image through here too,
/// so both give the same floats.
final class StreamingResize {
    let resize: SeparableResize
    private let blended: BlendedRows
    /// The vertical filter's taps and weights, copied out of their arrays:
    /// read for every row without reference counting.
    private let taps: UnsafeMutableBufferPointer<FilterTaps>
    private let weights: UnsafeMutableBufferPointer<Float>
    private let channels: Int, outputChannels: Int
    /// Output rows before this one have had all their source rows.
    private var nextOutput = 0

    init(_ resize: SeparableResize) {
        self.resize = resize
        blended = BlendedRows(resize)
        taps = .allocate(capacity: resize.vertical.taps.count)
        _ = taps.initialize(from: resize.vertical.taps)
        weights = .allocate(capacity: resize.vertical.weights.count)
        _ = weights.initialize(from: resize.vertical.weights)
        channels = resize.channels
        outputChannels = resize.outputChannels
    }

    deinit {
        taps.deallocate()
        weights.deallocate()
    }

    /// Takes source row `y` (`sourceWidth` x `resize.channels` bytes); rows
    /// come in order, each once.
    func add(_ row: UnsafePointer<UInt8>, y: Int) {
        while nextOutput < taps.count && taps[nextOutput].first + taps[nextOutput].count <= y { nextOutput += 1 }
        guard nextOutput < taps.count, taps[nextOutput].first <= y else { return }  // outside the crop
        let c = outputChannels, span = blended.span
        var source = row + blended.columnFirst * channels
        if c != channels {
            gp_over_white(source, blended.composited, span / c, c == 3 ? 1 : 0)
            source = UnsafePointer(blended.composited)
        }
        var output = nextOutput
        while output < taps.count && taps[output].first <= y {
            let tap = taps[output]
            let k = y - tap.first
            if k < tap.count {
                let target = blended.rows + output * span
                if k == 0 {
                    gp_blend_row_first(source, weights[tap.offset], target, span)
                } else {
                    gp_blend_row_add(source, weights[tap.offset + k], target, span)
                }
            }
            output += 1
        }
    }

    /// After the last row: the horizontal pass, into `output` as
    /// `SeparableResize.run` writes it.
    func finish(into output: UnsafeMutableBufferPointer<Float>) {
        resize.horizontalPass(blended, into: output)
    }
}
