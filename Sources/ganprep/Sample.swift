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

        @Option(help: "Seed for the noise.")
        var seed: UInt64 = 0

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
            if let out { try OutputChecks.file(out, option: "--out", inputs: [path]) }
            if let outH5 { try OutputChecks.file(outH5, option: "--out-h5", inputs: [path]) }
            let generator: Sequential, config: TrainingConfig
            do { (generator, config) = try CheckpointSampler.generator(checkpoint: path, batch: min(count, 256)) } catch {
                throw UserInputError(message: "\(error)")
            }
            let names = config.classes > 0 ? config.labelNames ?? [] : []
            // The class of each row of the grid (nil: drawn evenly, or unconditional).
            let rows: [Int32?]
            switch label {
            case nil: rows = [nil]
            case "all"?:
                guard !names.isEmpty else { throw UserInputError(message: "--label all: \(path) is not from a --conditional run; it has no classes") }
                rows = names.indices.map { Int32($0) }
            case let name?:
                guard !names.isEmpty else { throw UserInputError(message: "--label \(name): \(path) is not from a --conditional run; it has no classes") }
                guard let index = names.firstIndex(of: name) else {
                    throw UserInputError(message: "--label: \(path) has no class \"\(name)\"; its classes: "
                                         + names.map { "\"\($0)\"" }.joined(separator: ", ") + ", or all")
                }
                rows = [Int32(index)]
            }
            let total = count * rows.count
            if out != nil && total > Self.maxGridImages {
                throw UserInputError(message: "--out: a grid of \(total) images is more than \(Self.maxGridImages); lower --count, or write --out-h5 alone")
            }
            let writer = try outH5.map { try Self.datasetWriter(path: $0, config: config, names: names) }
            var grid: [Float] = []
            var random = SeededGenerator(seed: seed)
            // A row per class (the same noise in each column), generated and written in batches.
            let columns = Tensor(shape: [count, config.latent])
            random.fillNormal(columns)
            let even = names.isEmpty ? nil : ClassDistribution.even(classes: names.count)
            for row in rows {
                var at = 0
                while at < count {
                    let n = min(256, count - at)
                    let z = Tensor(shape: [n, config.latent])
                    z.data.update(from: columns.data + at * config.latent, count: n * config.latent)
                    var labels: [Int32]?
                    if let even { labels = row.map { Array(repeating: $0, count: n) } ?? even.draw(n, using: &random) }
                    let images = generator.generate(noise: z, labels: labels)
                    if out != nil { grid += images.array }
                    if let writer {
                        let infos = (labels ?? Array(repeating: -1, count: n)).map {
                            SampleInfo(description: $0 >= 0 ? names[Int($0)] : "generated", url: "", sha256: "", label: $0 >= 0 ? names[Int($0)] : nil)
                        }
                        do { try writer.writer.append(UnsafeBufferPointer(start: images.data, count: images.count), infos: infos) } catch {
                            unlink(writer.temporary)
                            throw InternalFailure(message: "cannot write \(outH5 ?? ""): \(error)")
                        }
                    }
                    at += n
                }
            }
            if let out {
                let samples = Tensor(shape: [total, config.height, config.width, config.channels], values: grid)
                let image = label == "all" ? ClassGrid.render(samples, rowNames: names, columns: count)
                    : SampleGrid.render(samples, columns: Int(Double(count).squareRoot().rounded(.up)))
                do { try FileWriting.replace(out, with: try PNGEncoder.encode(image)) } catch {
                    throw InternalFailure(message: "cannot write \(out): \(error)")
                }
                print("wrote \(total) samples to \(out)")
            }
            if let writer, let outH5 {
                do {
                    _ = try writer.writer.finish(seconds: 0, failed: 0)
                    guard rename(writer.temporary, outH5) == 0 else { throw StorageError.from(errno: errno, path: outH5, operation: "rename the dataset into") }
                } catch {
                    unlink(writer.temporary)
                    throw InternalFailure(message: "cannot write \(outH5): \(error)")
                }
                print("wrote \(total) samples\(names.isEmpty ? "" : " with their classes") to \(outH5)")
            }
        }

        /// A dataset writer into a temporary file beside `path` (renamed when complete).
        static func datasetWriter(path: String, config: TrainingConfig, names: [String]) throws -> (writer: DatasetWriter, temporary: String) {
            let temporary = "\(path).\(getpid()).partial"
            var options = DatasetWriterOptions(size: ImageSize(width: config.width, height: config.height), channels: config.channels,
                                               resizeMode: .stretch, createdBy: "ganprep \(GANPrep.version) sample",
                                               labels: names.isEmpty ? .none : .description)
            options.labelNames = names.isEmpty ? nil : names
            do { return (try DatasetWriter(path: temporary, options: options), temporary) } catch {
                throw UserInputError(message: "cannot create \(path): \(error)")
            }
        }
    }
}
