/// One evaluation during training: a line of `metrics.csv`.
public struct MetricsRecord: Sendable, Equatable {
    /// The step evaluated after.
    public var step: Int
    /// Its epoch.
    public var epoch: Int
    /// Fréchet distance of the feature sets.
    public var fid: Double
    /// KID: the unbiased MMD² with the cubic kernel, mean over the subsets.
    public var kidMean: Double
    /// KID's standard deviation over the subsets.
    public var kidStd: Double
    /// Share of generated images inside the real images' 3-nearest-neighbour balls.
    public var precision: Double
    /// Share of real images inside the generated images' 3-nearest-neighbour balls.
    public var recall: Double
    /// Seconds the evaluation took.
    public var seconds: Double
    /// The FID of real images against real ones (`RealFloor`); NaN in lines written before it was measured.
    public var fidFloor: Double

    /// The record of an evaluation after `step`.
    public init(step: Int, epoch: Int, quality: SampleQuality) {
        self.step = step
        self.epoch = epoch
        fid = quality.fid
        kidMean = quality.kidMean
        kidStd = quality.kidStd
        precision = quality.precision
        recall = quality.recall
        seconds = quality.seconds
        fidFloor = quality.floor.fid
    }

    /// metrics.csv's first line.
    public static let csvHeader = "step,epoch,fid,kid_mean,kid_std,precision,recall,seconds,fid_floor"

    /// The record as a line of metrics.csv.
    public var csvLine: String {
        "\(step),\(epoch),\(fid),\(kidMean),\(kidStd),\(precision),\(recall),\(seconds),\(fidFloor)"
    }

    /// Parses a line written by `csvLine` (or, without the floor, by earlier versions); nil for the header or a torn line.
    public init?(csvLine: Substring) {
        let fields = csvLine.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 8 || fields.count == 9, let step = Int(fields[0]), let epoch = Int(fields[1]) else { return nil }
        let numbers = fields.dropFirst(2).compactMap { Double($0) }
        guard numbers.count == fields.count - 2 else { return nil }
        self.step = step
        self.epoch = epoch
        (fid, kidMean, kidStd, precision, recall, seconds) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5])
        fidFloor = numbers.count > 6 ? numbers[6] : .nan
    }
}
