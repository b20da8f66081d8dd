import ArgumentParser
import DatasetFile
import Pack
import Foundation
import Imaging
import Storage

extension GANPrep {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Describe and validate a dataset file (ganprep or GAPCV layout); optionally render its first images.",
            discussion: """
                Prints what pack left out, by reason, when the file was packed by this version (its counts_by_reason). --stats adds the images per class, each channel's mean and standard deviation, and the source sizes of the kept images (from the pack manifest beside the file, OUT.pack.jsonl). --grid-dropped renders each image dropped as a near-duplicate beside the kept image it duplicates, labelled with their Hamming distance, to judge --dedup's threshold.
                """)

        @Argument(help: "The HDF5 file.")
        var file: String

        @Option(help: "Write a PNG grid of the first images here.")
        var grid: String?

        @Option(name: .customLong("grid-count"), help: "Images in the grid (pairs in --grid-dropped).")
        var gridCount: Int = 25

        @Flag(help: "Images per class, per-channel mean and standard deviation, source size histogram.")
        var stats = false

        @Option(name: .customLong("grid-dropped"), help: "Write a PNG of the near-duplicates pack dropped, each beside the image it duplicates.")
        var gridDropped: String?

        func validate() throws {
            try OptionChecks.integer("--grid-count", gridCount, in: 1...10_000)
        }

        func run() throws {
            try DatasetProbe.check(file)
            let reader: DatasetReader
            reader = try DatasetReader(path: file)
            print("file:        \(file)")
            print("layout:      \(reader.format.rawValue)")
            print("images:      \(reader.count) x \(reader.height)x\(reader.width)x\(reader.channels) (stored as \(reader.storedType))")
            for storage in reader.storage() {
                let chunk = storage.chunk.map { "\($0)" } ?? (reader.isVirtual ? "of its parts (virtual: \(reader.virtualParts.joined(separator: ", ")))" : "contiguous")
                let filters = storage.filters.isEmpty ? "" : ", filters \(storage.filters.joined(separator: "+"))"
                print("dataset:     \(storage.path) shape \(storage.shape), chunks \(chunk)\(filters)")
            }
            // Value range and checks over the whole file, chunk by chunk.
            let values = try DatasetStatistics.scan(reader, channels: stats)
            print("values:      [\(values.lowest), \(values.highest)] after mapping to [-1, 1]")
            let descriptions = (try? reader.descriptionCount()) ?? 0
            var problems = Self.printLabels(reader: reader)
            let manifestPath = Packer.manifestPath(for: file)
            if let counts = reader.attributes().first(where: { $0.0 == "counts_by_reason" })?.1 {
                print("pack:        \(Self.describe(counts: counts)) (pack manifest: \(manifestPath))")
            }
            if stats {
                try Self.printStats(reader: reader, statistics: values, manifest: manifestPath)
            }
            print("attributes:")
            for (name, value) in reader.attributes() { print("  \(name) = \(value)") }
            if values.nonFinite > 0 { problems.append("\(values.nonFinite) values are NaN or infinite") }
            if !values.inRange { problems.append("values outside [-1, 1]") }
            if descriptions != reader.count { problems.append("\(descriptions) descriptions for \(reader.count) images") }
            if problems.isEmpty { print("valid:       yes") } else {
                throw UserInputError(message: "\(file): invalid: " + problems.joined(separator: "; "))
            }
            if let grid { try Self.writeGrid(reader: reader, count: gridCount, to: grid) }
            if let gridDropped {
                let pairs = try Self.renderDropped(reader: reader, manifest: manifestPath, count: gridCount, to: gridDropped)
                print("grid-dropped: \(gridDropped) (\(pairs) near-duplicates beside the images they duplicate)")
            }
        }

        /// Prints the classes (or the distinct descriptions); returns the problem reading them, if any.
        static func printLabels(reader: DatasetReader) -> [String] {
            do {
                if let names = try reader.labelNames(), let labels = try reader.labels() {
                    let counts = DatasetReader.classCounts(labels, classes: names.count)
                    let shown = zip(names, counts).prefix(12).map { "\($0) \($1)" }.joined(separator: ", ")
                    print("labels:      \(names.count) classes: \(shown)" + (names.count > 12 ? ", ..." : ""))
                } else {
                    var distinct = Set<String>()
                    try? reader.forEachDescriptions { distinct.formUnion($0) }
                    print("labels:      none (\(distinct.count) distinct descriptions)")
                }
                return []
            } catch {
                return [error.description]
            }
        }

        /// Writes a PNG grid of the first `count` images (doubled under 48 pixels).
        static func writeGrid(reader: DatasetReader, count: Int, to grid: String) throws {
            let n = min(count, reader.count)
            var samples = [Float](repeating: 0, count: n * reader.sampleSize)
            do {
                try samples.withUnsafeMutableBufferPointer { (b) throws(DatasetError) in try reader.read(start: 0, count: n, into: b) }
                let columns = Int(Double(n).squareRoot().rounded(.up))
                let image = samples.withUnsafeBufferPointer {
                    SampleGrid.render($0, count: n, height: reader.height, width: reader.width, channels: reader.channels,
                                      columns: columns, scale: reader.height < 48 ? 2 : 1)
                }
                try FileWriting.replace(grid, with: PNGEncoder.encode(image))
            } catch {
                throw InternalFailure(message: "cannot write \(grid): \(error)")
            }
            print("grid:        \(grid) (\(n) images)")
        }

    }
}
