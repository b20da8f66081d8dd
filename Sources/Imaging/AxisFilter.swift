
/// One output sample's source taps: `count` consecutive source indices from
/// `first`, weights at `offset` in the weight table (they sum to 1).
struct FilterTaps {
    var first: Int
    var count: Int
    var offset: Int
}

/// Separable resampling weights for one axis: from `sourceLength` samples,
/// the window [start, start + length) in source coordinates, to `outputLength`.
///
/// Downscaling uses an area-averaging (box) filter whose support is the
/// source area each output sample covers, with fractional edge weights, so
/// no source pixel is skipped (never nearest-neighbour). Upscaling uses a
/// triangle (bilinear) filter.
///
/// Hand-written on purpose: the libraries at hand resize poorly for this
/// job (libjpeg only scales by 1/8 steps, libpng not at all) and a general
/// image library would add a dependency for one separable filter; this one
/// works on the decoded rows in place, in float, straight into the
/// normalized [-1, 1] sample, and is tested against hand-computed area
/// averages (ResizeTests).
struct AxisFilter {
    var taps: [FilterTaps] = []
    var weights: [Float] = []

    init(sourceLength: Int, start: Double, length: Double, outputLength: Int) {
        precondition(sourceLength > 0 && outputLength > 0 && length > 0, "empty resize axis")
        let scale = length / Double(outputLength)  // source samples per output sample
        taps.reserveCapacity(outputLength)
        weights.reserveCapacity(outputLength * (Int(scale.rounded(.up)) + 2))
        // Each output sample's weights go straight into `weights` (in Double,
        // then normalized and narrowed in place): no array per sample.
        var local: [Double] = []
        local.reserveCapacity(Int(scale.rounded(.up)) + 2)
        for i in 0..<outputLength {
            let lo = start + Double(i) * scale
            let hi = lo + scale
            var first: Int
            local.removeAll(keepingCapacity: true)
            if scale >= 1 {
                // Area average: each source pixel p covers [p, p+1); weight = overlap.
                first = max(0, Int(lo.rounded(.down)))
                let last = min(sourceLength - 1, Int((hi - 1e-9).rounded(.down)))
                if last < first { first = min(max(0, first), sourceLength - 1); local.append(1) } else {
                    for p in first...last {
                        local.append(max(0, min(hi, Double(p + 1)) - max(lo, Double(p))))
                    }
                }
            } else {
                // Triangle filter centred on the output sample's centre.
                let centre = (lo + hi) / 2 - 0.5
                let left = Int(centre.rounded(.down))
                first = max(0, left)
                let last = min(sourceLength - 1, left + 1)
                for p in first...last { local.append(max(0, 1 - abs(Double(p) - centre))) }
            }
            let total = local.reduce(0, +)
            taps.append(FilterTaps(first: first, count: local.count, offset: weights.count))
            for w in local { weights.append(Float(total <= 0 ? 1 / Double(local.count) : w / total)) }
        }
    }
}
