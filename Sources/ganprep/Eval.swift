import ArgumentParser
import DatasetFile
import Evaluation
import Foundation
import GAN
import HDF5
import LinearAlgebra
import Metrics
import Storage
import Training

extension GANPrep {
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Measure a generator's samples against the real data: FID, KID, precision and recall.",
            discussion: """
                Draws --count generated images from the checkpoint (a run directory: its newest checkpoint; or reads the first --count images of a file of generated images, another tool's included) and takes as many real images from --data (all when fewer, a seeded sample otherwise), embeds both with the classifier's feature layer (see ganprep classifier train), and reports the Fréchet distance of the two feature sets (FID), the kernel distance (KID: unbiased MMD² with the cubic polynomial kernel, mean and standard deviation over --kid-subsets subsets of --kid-subset-size) and precision/recall with 3 nearest neighbours. --features-out writes the embeddings (/real [N, D], /generated [M, D], float32) so that the figures can be recomputed elsewhere.

                Every report carries the yardstick's floor: the same FID and KID between two disjoint seeded sets of real images from --data, each of the size compared (half the data when it holds fewer than twice that): what a perfect generator would score, to read the FID against.

                A checkpoint of a --conditional run is also measured class by class: --count / classes images drawn for each class, how often the classifier recognises them as that class, and the FID against the real images of that class (a classifier trained on the same class names is needed for the accuracy).
                """)

        @Argument(help: "A run directory, a checkpoint file, or a ganprep-layout file of generated images (any generator's).")
        var runOrCheckpoint: String

        @Option(help: "The packed dataset the run trained on.")
        var data: String

        @Option(help: "The classifier file (default: classifier.h5 beside --data).")
        var classifier: String?

        @Option(help: "Generated images, and real ones at most.")
        var count: Int = 10_000

        @Option(name: .customLong("kid-subsets"), help: "Subsets KID averages over.")
        var kidSubsets: Int = 100

        @Option(name: .customLong("kid-subset-size"), help: "Samples per KID subset (capped at the sample count).")
        var kidSubsetSize: Int = 1000

        @OptionGroup var seeding: SeedOption
        var seed: UInt64 { seeding.seed }

        @Option(name: .customLong("features-out"), help: "Write the embeddings used to this HDF5 file.")
        var featuresOut: String?

        @Option(name: .customLong("samples-out"), help: "Write the generated images measured to this HDF5 file (ganprep's layout), which eval can measure again.")
        var samplesOut: String?

        @Flag(help: "Print one JSON object instead of a line.")
        var json = false

        @OptionGroup var threading: ThreadsOption
        var threads: Int { threading.threads }

        func validate() throws {
            try OptionChecks.integer("--count", count, in: 4...1_000_000)
            try OptionChecks.integer("--kid-subsets", kidSubsets, in: 1...10_000)
            try OptionChecks.integer("--kid-subset-size", kidSubsetSize, in: 2...1_000_000)
        }

        func run() throws {
            BLAS.threads = threads
            let source = try Self.checkpoint(in: runOrCheckpoint)
            let classifierPath = classifier ?? ((data as NSString).deletingLastPathComponent as NSString).appendingPathComponent("classifier.h5")
            try DatasetProbe.check(data)
            let isSamples = try Self.isSamplesFile(source)
            try DatasetProbe.check(source, checkpoint: !isSamples)
            if let featuresOut { try OutputTarget.check(featuresOut, option: "--features-out", inputs: [data, classifierPath, source]) }
            if let samplesOut {
                if isSamples { throw UserInputError(message: "--samples-out writes a checkpoint's images; \(source) holds images already") }
                try OutputTarget.check(samplesOut, option: "--samples-out", inputs: [data, classifierPath, source])
            }
            let reader = try DatasetReader(path: data)
            if !isSamples, let config = try TrainingConfig.from(checkpoint: source),
               [config.height, config.width, config.channels] != [reader.height, reader.width, reader.channels] {
                throw UserInputError(message: "\(source) generates \(config.height)x\(config.width)x\(config.channels) images, \(data) holds \(reader.height)x\(reader.width)x\(reader.channels)")
            }
            let file = try ClassifierFile.load(classifierPath)
            let evaluator = try SampleEvaluator(classifier: file, reader: reader, count: count, kidSubsets: kidSubsets,
                                                kidSubsetSize: kidSubsetSize, seed: seed)
            let (quality, classes) = isSamples ? (try evaluator.evaluate(samples: try DatasetReader(path: source)), [])
                : try measure(checkpoint: source, evaluator: evaluator)
            if let featuresOut, let generated = evaluator.generatedFeatures {
                try Self.write(real: evaluator.realFeatures, generated: generated, classes: classes,
                               realLabels: evaluator.realLabels, to: featuresOut)
            }
            if json { printJSON(source, quality, classes) } else { printText(quality, classes) }
        }

        /// A checkpoint's generator measured (and class by class when conditional); its images written to --samples-out.
        func measure(checkpoint: String, evaluator: SampleEvaluator) throws -> (SampleQuality, [ClassQuality]) {
            let (generator, config) = try CheckpointSampler.generator(checkpoint: checkpoint, batch: 256)
            let names = config.classes > 0 ? config.labelNames ?? [] : []
            let samples = try samplesOut.map { try GeneratedDataset(path: $0, config: config, names: names, createdBy: "ganprep \(GANPrep.version) eval") }
            var sink: ((Tensor, [Int32]?) throws(TrainingError) -> Void)?
            if let samples { sink = { (images: Tensor, labels: [Int32]?) throws(TrainingError) in try samples.append(images, labels: labels) } }
            let quality = try evaluator.evaluate(generator: generator, latent: config.latent, images: sink)
            try samples?.finish()
            guard !names.isEmpty else { return (quality, []) }
            let classes = try evaluator.perClass(generator: generator, latent: config.latent, names: names,
                                                 count: max(10, (count + names.count - 1) / names.count))
            return (quality, classes)
        }

        /// Whether `path` is a dataset of images (another generator's samples) rather than a checkpoint.
        static func isSamplesFile(_ path: String) throws -> Bool {
            guard try TrainingConfig.from(checkpoint: path) == nil else { return false }
            return (try? DatasetReader(path: path)) != nil
        }

        func printJSON(_ source: String, _ q: SampleQuality, _ classes: [ClassQuality]) {
            let fields: [(String, String)] = [
                ("checkpoint", Self.jsonString(source)), ("fid", Self.json(q.fid)), ("kid_mean", Self.json(q.kidMean)),
                ("kid_std", Self.json(q.kidStd)), ("precision", Self.json(q.precision)), ("recall", Self.json(q.recall)),
                ("real", "\(q.realCount)"), ("generated", "\(q.generatedCount)"), ("fid_floor", Self.json(q.floor.fid)),
                ("kid_floor", Self.json(q.floor.kidMean)), ("floor_size", "\(q.floor.size)"), ("seconds", Self.json(q.seconds)),
                ("metrics_seconds", Self.json(q.metricsSeconds)),
            ] + (classes.isEmpty ? [] : [
                ("class_accuracy_mean", Self.json(Self.meanAccuracy(classes))),
                ("classes", "[" + classes.map { c in
                    "{\"name\": \(Self.jsonString(c.name)), \"accuracy\": \(Self.json(c.accuracy)), \"fid\": \(Self.json(c.fid)), "
                        + "\"generated\": \(c.generatedCount), \"real\": \(c.realCount)}"
                }.joined(separator: ", ") + "]"),
            ])
            print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        }

        func printText(_ q: SampleQuality, _ classes: [ClassQuality]) {
            print(String(format: "FID %.3f  KID %.5f ± %.5f  precision %.3f  recall %.3f  (%d generated vs %d real, %.1fs)",
                         q.fid, q.kidMean, q.kidStd, q.precision, q.recall, q.generatedCount, q.realCount, q.seconds))
            print("floor (real vs real, \(q.floor.size) vs \(q.floor.size) images, what a perfect generator would score): FID "
                  + Self.text(q.floor.fid, "%.3f") + "  KID " + Self.text(q.floor.kidMean, "%.5f"))
            guard !classes.isEmpty else { return }
            let width = classes.map(\.name.count).max()!
            print(String(format: "per class (%d generated each): recognised as their class %@ on average", classes[0].generatedCount,
                         Self.text(100 * Self.meanAccuracy(classes), "%.1f%%")))
            for c in classes {
                print("  " + c.name.padding(toLength: width, withPad: " ", startingAt: 0)
                      + "  accuracy " + Self.text(100 * c.accuracy, "%5.1f%%") + "  FID " + Self.text(c.fid, "%8.3f")
                      + "  (vs \(c.realCount) real)")
            }
        }

        /// The mean of the classes' accuracies (NaN when the classifier knows none of them).
        static func meanAccuracy(_ classes: [ClassQuality]) -> Double {
            let known = classes.map(\.accuracy).filter { !$0.isNaN }
            return known.isEmpty ? .nan : known.reduce(0, +) / Double(known.count)
        }

        /// A figure for the text report: "n/a" (not measurable, e.g. a class the classifier does not know) when not finite.
        static func text(_ value: Double, _ format: String) -> String {
            value.isFinite ? String(format: format, value) : String(repeating: " ", count: max(0, String(format: format, 0.0).count - 3)) + "n/a"
        }

        /// A number for JSON: null when not finite.
        static func json(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }

        static func jsonString(_ text: String) -> String {
            String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
        }

        /// A checkpoint file as given, or a run directory's newest checkpoint.
        static func checkpoint(in path: String) throws -> String {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw UserInputError(message: "\(path): no such file or directory")
            }
            guard isDirectory.boolValue else { return path }
            guard let newest = TrainingRun.checkpoints(inRun: path).first else {
                throw UserInputError(message: "\(path) holds no checkpoints (\(path)/checkpoints/step_*.h5)")
            }
            return newest
        }

        /// The embeddings: /real, /generated; for a conditional generator also
        /// /real_labels [N] (int32), /class_generated [K * n, D] and
        /// /class_generated_labels [K * n] (the per-class images' features and classes).
        static func write(real: FeatureMatrix, generated: FeatureMatrix, classes: [ClassQuality], realLabels: [Int32]?, to path: String) throws {
            do {
                try HDF5File.replacing(path, temporary: "\(path).\(getpid()).tmp") { file throws(HDF5Error) in
                    var matrices = [("real", real), ("generated", generated)]
                    if !classes.isEmpty, let realLabels {
                        let columns = classes[0].generatedFeatures.columns
                        matrices.append(("class_generated", FeatureMatrix(rows: classes.reduce(0) { $0 + $1.generatedCount }, columns: columns,
                                                                          values: classes.flatMap(\.generatedFeatures.values))))
                        let generatedLabels = classes.enumerated().flatMap { Array(repeating: Int32($0.offset), count: $0.element.generatedCount) }
                        try file.createDataset("class_generated_labels", of: Int32.self, shape: [generatedLabels.count]).write(generatedLabels)
                        try file.createDataset("real_labels", of: Int32.self, shape: [realLabels.count]).write(realLabels)
                    }
                    for (name, matrix) in matrices {
                        try file.createDataset(name, of: Float.self, shape: [matrix.rows, matrix.columns]).write(matrix.values.map(Float.init))
                    }
                }
            } catch {
                throw InternalFailure(message: "cannot write \(path): \(error)")
            }
        }
    }
}
