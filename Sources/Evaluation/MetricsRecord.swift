/// One evaluation during training: a line of `metrics.csv`.
public struct MetricsRecord: Sendable, Equatable {
    public var step: Int
    public var epoch: Int
    public var fid: Double
    public var kidMean: Double
    public var kidStd: Double
    public var precision: Double
    public var recall: Double
    /// Seconds the evaluation took.
    public var seconds: Double

    public init(step: Int, epoch: Int, quality: SampleQuality) {
        self.step = step
        self.epoch = epoch
        fid = quality.fid
        kidMean = quality.kidMean
        kidStd = quality.kidStd
        precision = quality.precision
        recall = quality.recall
        seconds = quality.seconds
    }

    public static let csvHeader = "step,epoch,fid,kid_mean,kid_std,precision,recall,seconds"

    public var csvLine: String {
        "\(step),\(epoch),\(fid),\(kidMean),\(kidStd),\(precision),\(recall),\(seconds)"
    }

    /// Parses a line written by `csvLine`; nil for the header or a torn line.
    public init?(csvLine: Substring) {
        let fields = csvLine.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 8, let step = Int(fields[0]), let epoch = Int(fields[1]) else { return nil }
        let numbers = fields.dropFirst(2).compactMap { Double($0) }
        guard numbers.count == 6 else { return nil }
        self.step = step
        self.epoch = epoch
        (fid, kidMean, kidStd, precision, recall, seconds) = (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5])
    }
}
