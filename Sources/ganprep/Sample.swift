import ArgumentParser
import DatasetFile
import Pack
import Foundation
import GAN
import Imaging
import Storage
import Support
import Training

extension GANPrep {
    struct Sample: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sample",
            abstract: "Draw generated images from a training checkpoint: a PNG grid, and/or a dataset.",
            discussion: """
                A checkpoint of a --conditional run draws images of one class with --label NAME, or a grid with one row per class with --label all (--count images per class, the same noise in each column); without --label its classes are drawn evenly. --out-h5 writes the images with their classes (/labels, /label_names: the checkpoint's class names) as a ganprep-layout dataset, which pack's other consumers read (ganprep eval, classifier train, train).
                """)

        @Argument(help: "A checkpoint file (RUN/checkpoints/step_*.h5) or a run directory (its newest checkpoint).")
        var checkpoint: String

        @Option(help: "Images to draw (with --label all: per class).")
        var count: Int = 25

        @OptionGroup var seeding: SeedOption
        var seed: UInt64 { seeding.seed }

        @Option(help: "A conditional checkpoint's class to draw, by name, or all for a row per class.")
        var label: String?

        @Option(help: "The PNG grid to write.")
        var out: String?

        @Option(name: .customLong("out-h5"), help: "A ganprep-layout HDF5 dataset of the images (with their classes) to write.")
        var outH5: String?

        /// The most images a PNG grid holds.
        static let maxGridImages = 2500

        func validate() throws {
            try OptionChecks.integer("--count", count, in: 1...1_000_000)
            guard out != nil || outH5 != nil else { throw ValidationError("give --out PNG, --out-h5 FILE, or both") }
            if let out, let outH5, URL(fileURLWithPath: out).standardizedFileURL == URL(fileURLWithPath: outH5).standardizedFileURL {
                throw ValidationError("--out and --out-h5 name the same file")
            }
        }

        func run() throws {
            let path = try Eval.checkpoint(in: checkpoint)
            try DatasetProbe.check(path, checkpoint: true)
            if let out { try OutputTarget.check(out, option: "--out", inputs: [path]) }
            if let outH5 { try OutputTarget.check(outH5, option: "--out-h5", inputs: [path]) }
            let generator: Sequential, config: TrainingConfig
            do { (generator, config) = try CheckpointSampler.generator(checkpoint: path, batch: min(count, 256)) } catch {
                throw UserInputError(message: "\(error)")
            }
            let names = config.classes > 0 ? config.labelNames ?? [] : []
            let rows = try Self.rows(label: label, names: names, checkpoint: path)
            let drawing = SampleDrawing(generator: generator, config: config, rows: rows, count: count, seed: seed)
            if out != nil && drawing.total > Self.maxGridImages {
                throw UserInputError(message: "--out: a grid of \(drawing.total) images is more than \(Self.maxGridImages); lower --count, or write --out-h5 alone")
            }
            let dataset = try outH5.map { try GeneratedDataset(path: $0, config: config, names: names, createdBy: "ganprep \(GANPrep.version) sample") }
            var grid: [Float] = []
            try drawing.forEachBatch { images, labels in
                if out != nil { grid += images.array }
                try dataset?.append(images, labels: labels)
            }
            if let out {
                let samples = Tensor(shape: [drawing.total, config.height, config.width, config.channels], values: grid)
                let image = label == "all" ? ClassGrid.render(samples, rowNames: names, columns: count)
                    : SampleGrid.render(samples, columns: Int(Double(count).squareRoot().rounded(.up)))
                try FileWriting.replace(out, with: try PNGEncoder.encode(image))
                print("wrote \(drawing.total) samples to \(out)")
            }
            if let dataset {
                try dataset.finish()
                print("wrote \(drawing.total) samples\(names.isEmpty ? "" : " with their classes") to \(dataset.path)")
            }
        }

        /// The class of each row of the grid: `--label NAME` one row, `all` a row per class, none one row
        /// (nil: classes drawn evenly, or an unconditional generator).
        static func rows(label: String?, names: [String], checkpoint path: String) throws -> [Int32?] {
            switch label {
            case nil: return [nil]
            case "all"?:
                guard !names.isEmpty else { throw UserInputError(message: "--label all: \(path) is not from a --conditional run; it has no classes") }
                return names.indices.map { Int32($0) }
            case let name?:
                guard !names.isEmpty else { throw UserInputError(message: "--label \(name): \(path) is not from a --conditional run; it has no classes") }
                guard let index = names.firstIndex(of: name) else {
                    throw UserInputError(message: "--label: \(path) has no class \"\(name)\"; its classes: "
                                         + names.map { "\"\($0)\"" }.joined(separator: ", ") + ", or all")
                }
                return [Int32(index)]
            }
        }
    }
}
