/// What `inspect` reports of a dataset's values, from one pass over the
/// whole file, chunk by chunk: the range, how many values are not finite,
/// and (when asked) each channel's mean and standard deviation.
public struct DatasetStatistics: Sendable {
    /// The smallest and largest finite value, after mapping to [-1, 1] (±infinity for a file without one).
    public var lowest = Float.infinity
    /// The largest finite value.
    public var highest = -Float.infinity
    /// Values that are NaN or infinite.
    public var nonFinite = 0
    /// Per channel (one for gray, three for colour): the mean and standard deviation of its finite values; empty unless asked for.
    public var channelMeans: [Double] = []
    /// Each channel's standard deviation.
    public var channelDeviations: [Double] = []

    /// Whether every finite value lies in [-1, 1] (with a margin for rounding).
    public var inRange: Bool { lowest >= -1.0001 && highest <= 1.0001 }

    /// Reads every image of `reader` once; `channels`: also the per-channel moments.
    /// - Throws: the reader's error for a chunk it cannot read.
    public static func scan(_ reader: DatasetReader, channels: Bool) throws(DatasetError) -> DatasetStatistics {
        var result = DatasetStatistics()
        let count = reader.channels
        var sums = [Double](repeating: 0, count: count), squares = sums, finite = [Int](repeating: 0, count: count)
        let step = Swift.max(1, reader.chunkLength)
        var buffer = [Float](repeating: 0, count: step * reader.sampleSize)
        var start = 0
        while start < reader.count {
            let n = Swift.min(step, reader.count - start)
            try buffer.withUnsafeMutableBufferPointer { (b) throws(DatasetError) in try reader.read(start: start, count: n, into: b) }
            buffer.withUnsafeBufferPointer { values in
                for (i, v) in values.prefix(n * reader.sampleSize).enumerated() {
                    if !v.isFinite { result.nonFinite += 1; continue }
                    result.lowest = Swift.min(result.lowest, v)
                    result.highest = Swift.max(result.highest, v)
                    if channels {
                        sums[i % count] += Double(v)
                        squares[i % count] += Double(v) * Double(v)
                        finite[i % count] += 1
                    }
                }
            }
            start += n
        }
        if channels {
            result.channelMeans = (0..<count).map { sums[$0] / Double(Swift.max(1, finite[$0])) }
            result.channelDeviations = (0..<count).map { c in
                Swift.max(0, squares[c] / Double(Swift.max(1, finite[c])) - result.channelMeans[c] * result.channelMeans[c]).squareRoot()
            }
        }
        return result
    }
}
