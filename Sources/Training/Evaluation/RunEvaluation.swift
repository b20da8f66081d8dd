import DatasetFile
import Foundation
import GAN
import Imaging
import Storage

/// Sample quality during a training run: evaluations appended to
/// `metrics.csv`, the FID curve in `fid.png`, and which step was best.
public final class RunEvaluation {
    public let evaluator: SampleEvaluator
    public let metricsPath: String
    public let plotPath: String
    public private(set) var records: [MetricsRecord] = []

    /// The lowest FID so far.
    public var best: MetricsRecord? { records.filter { $0.fid.isFinite }.min { $0.fid < $1.fid } }

    public init(classifier path: String, reader: DatasetReader, count: Int, seed: UInt64, directory: String) throws(TrainingError) {
        let classifier = try ClassifierFile.load(path)
        evaluator = try SampleEvaluator(classifier: classifier, reader: reader, count: min(count, reader.count),
                                        kidSubsets: 100, kidSubsetSize: 1000, seed: seed)
        metricsPath = directory + "/metrics.csv"
        plotPath = directory + "/fid.png"
    }

    /// Starts `metrics.csv` afresh, or keeps its lines up to `step` when resuming.
    func start(resumingAt step: Int?) throws(TrainingError) {
        if let step {
            let text = (try? String(contentsOfFile: metricsPath, encoding: .utf8)) ?? ""
            records = text.split(separator: "\n").compactMap(MetricsRecord.init(csvLine:)).filter { $0.step <= step }
        } else {
            records = []
        }
        let text = ([MetricsRecord.csvHeader] + records.map(\.csvLine)).joined(separator: "\n") + "\n"
        do { try FileWriting.replace(metricsPath, withText: text) } catch { throw .storage(error) }
    }

    /// Evaluates the generator now; returns the record and whether its FID is the best so far.
    func evaluate(step: Int, epoch: Int, generator: Sequential, latent: Int) throws(TrainingError) -> (MetricsRecord, isBest: Bool) {
        let previousBest = best?.fid ?? .infinity
        let record = MetricsRecord(step: step, epoch: epoch, quality: try evaluator.evaluate(generator: generator, latent: latent))
        records.append(record)
        do {
            try AppendFile(path: metricsPath).appendLine(record.csvLine)
            let png = try PNGEncoder.encode(LinePlot.render(title: "FID BY STEP", series: [
                LinePlot.Series(name: "FID (\(evaluator.count) generated vs \(evaluator.realFeatures.rows) real)", color: (214, 39, 40),
                                points: records.map { ($0.step, Float($0.fid)) }),
            ]))
            try FileWriting.replace(plotPath, with: png)
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .output("cannot draw \(plotPath): \(error)")
        }
        return (record, record.fid < previousBest)
    }
}
