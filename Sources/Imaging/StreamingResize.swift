import CImageCodecs

/// A `SeparableResize` fed one source row at a time, top to bottom, as
/// libpng decodes them: each row is composited (when it has alpha) and
/// blended into the output rows whose taps cover it while it is still in
/// the cache, and no whole decoded image is ever held.
///
/// A box filter gives most source rows of an output row the same weight
/// (all but the two partly covered ones at its edges): those rows' bytes
/// are summed exactly in 16 bits and weighed once, when the output row's
/// last one is in (or every 257 rows, before 16 bits could overflow); the
/// edge rows are weighed one by one in float. Summing bytes costs about a
/// third of weighing each row in float, and is exact.
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
    /// Per output row: the weight its summed rows share (NaN where fewer
    /// than two taps share one: nothing to gain), and whether its floats
    /// hold anything yet.
    private let sharedWeight: UnsafeMutableBufferPointer<Float>
    private let started: UnsafeMutableBufferPointer<Bool>
    /// Output rows before this one have had all their source rows.
    private var nextOutput = 0
    /// The output row whose rows `blended.sums` holds, and how many.
    private var summing = 0, summedRows = 0

    init(_ resize: SeparableResize) {
        self.resize = resize
        blended = BlendedRows(resize)
        taps = .allocate(capacity: resize.vertical.taps.count)
        _ = taps.initialize(from: resize.vertical.taps)
        weights = .allocate(capacity: resize.vertical.weights.count)
        _ = weights.initialize(from: resize.vertical.weights)
        channels = resize.channels
        outputChannels = resize.outputChannels
        sharedWeight = .allocate(capacity: taps.count)
        started = .allocate(capacity: taps.count)
        started.initialize(repeating: false)
        for (j, tap) in taps.enumerated() {
            let rowWeights = weights[tap.offset..<(tap.offset + tap.count)]
            let heaviest = rowWeights.max() ?? .nan
            sharedWeight[j] = rowWeights.count(where: { $0 == heaviest }) >= 2 ? heaviest : .nan
        }
    }

    deinit {
        taps.deallocate()
        weights.deallocate()
        sharedWeight.deallocate()
        started.deallocate()
    }

    /// Weighs the summed rows into their output row's floats.
    private func weighSums() {
        guard summedRows > 0 else { return }
        gp_weigh_sums(blended.sums, sharedWeight[summing], blended.rows + summing * blended.span, blended.span, started[summing] ? 0 : 1)
        started[summing] = true
        summedRows = 0
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
                let weight = weights[tap.offset + k]
                if weight == sharedWeight[output] {
                    if summing != output || summedRows == 257 { weighSums(); summing = output }
                    gp_sum_row(source, blended.sums, span)
                    summedRows += 1
                } else {
                    let target = blended.rows + output * span
                    if started[output] {
                        gp_blend_row_add(source, weight, target, span)
                    } else {
                        gp_blend_row_first(source, weight, target, span)
                        started[output] = true
                    }
                }
            }
            output += 1
        }
    }

    /// After the last row: the horizontal pass, into `output` as
    /// `SeparableResize.run` writes it.
    func finish(into output: UnsafeMutableBufferPointer<Float>) {
        // Every output row has had its first tap's row, weighed or summed: all are defined.
        weighSums()
        resize.horizontalPass(blended, into: output)
    }
}
