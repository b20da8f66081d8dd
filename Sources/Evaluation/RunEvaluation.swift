import DatasetFile
import Foundation
import GAN
import Imaging
import Storage
import Training

/// Sample quality during a training run: evaluations appended to
/// `metrics.csv`, the FID curve in `fid.png`, and which step was best.
public final class RunEvaluation: GeneratorEvaluator {
    /// What measures the generator.
    public let evaluator: SampleEvaluator
    /// RUN/metrics.csv.
    public let metricsPath: String
    /// RUN/fid.png.
    public let plotPath: String
    /// The run's evaluations so far, in step order.
    public private(set) var records: [MetricsRecord] = []

    /// The lowest FID so far.
    public var best: MetricsRecord? { records.filter { $0.fid.isFinite }.min { $0.fid < $1.fid } }

    /// Whether nothing was evaluated yet.
    public var isEmpty: Bool { records.isEmpty }

    /// The evaluator `train --classifier` runs with: `config.classifier`'s features, `config.evalCount` images.
    public static func factory(_ reader: DatasetReader, _ config: TrainingConfig, _ directory: String) throws(TrainingError) -> any GeneratorEvaluator {
        try RunEvaluation(classifier: config.classifier ?? "", reader: reader, count: config.evalCount ?? TrainingOptions.defaultEvalCount,
                          seed: config.seed, directory: directory)
    }

    /// Evaluations of `count` images with `path`'s classifier against `reader`'s images, written in `directory`.
    public init(classifier path: String, reader: DatasetReader, count: Int, seed: UInt64, directory: String) throws(TrainingError) {
        let classifier = try ClassifierFile.load(path)
        evaluator = try SampleEvaluator(classifier: classifier, reader: reader, count: min(count, reader.count),
                                        kidSubsets: 100, kidSubsetSize: 1000, seed: seed)
        metricsPath = directory + "/metrics.csv"
        plotPath = directory + "/fid.png"
    }

    /// Starts `metrics.csv` afresh, or keeps its lines up to `step` when resuming.
    public func start(resumingAt step: Int?) throws(TrainingError) {
        if let step {
            let text = (try? String(contentsOfFile: metricsPath, encoding: .utf8)) ?? ""
            records = text.split(separator: "\n").compactMap(MetricsRecord.init(csvLine:)).filter { $0.step <= step }
        } else {
            records = []
        }
        let text = ([MetricsRecord.csvHeader] + records.map(\.csvLine)).joined(separator: "\n") + "\n"
        do { try FileWriting.replace(metricsPath, withText: text) } catch { throw .storage(error) }
    }

    /// Evaluates the generator now; returns whether its FID is the best so far (the record is the last of `records`).
    public func evaluate(step: Int, epoch: Int, generator: Sequential, latent: Int) throws(TrainingError) -> Bool {
        let previousBest = best?.fid ?? .infinity
        let record = MetricsRecord(step: step, epoch: epoch, quality: try evaluator.evaluate(generator: generator, latent: latent))
        records.append(record)
        do {
            try AppendFile(path: metricsPath).appendLine(record.csvLine)
            let png = try PNGEncoder.encode(LinePlot.render(Chart(title: "FID BY STEP", series: [
                Chart.Series(name: "FID (\(evaluator.count) generated vs \(evaluator.realFeatures.rows) real)", color: (214, 39, 40),
                             points: records.map { (Double($0.step), $0.fid) }),
                Chart.Series(name: "floor: real vs real (\(record.fidFloor.isFinite ? String(format: "%.3g", record.fidFloor) : "n/a"))",
                             color: (90, 90, 90), points: records.filter { $0.fidFloor.isFinite }.map { (Double($0.step), $0.fidFloor) }),
            ], yFromZero: true)))
            try FileWriting.replace(plotPath, with: png)
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .output(path: plotPath, action: .draw, cause: error)
        }
        return record.fid < previousBest
    }
}
