import ArgumentParser
import DatasetFile
import Foundation
import Imaging
import Storage

extension GANPrep {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Describe and validate a dataset file (ganprep or GAPCV layout); optionally render its first images.")

        @Argument(help: "The HDF5 file.")
        var file: String

        @Option(help: "Write a PNG grid of the first images here.")
        var grid: String?

        @Option(name: .customLong("grid-count"), help: "Images in the grid.")
        var gridCount: Int = 25

        func validate() throws {
            try OptionChecks.integer("--grid-count", gridCount, in: 1...10_000)
        }

        func run() throws {
            try DatasetProbe.check(file)
            let reader: DatasetReader
            do { reader = try DatasetReader(path: file) } catch { throw UserInputError(message: error.description) }
            print("file:        \(file)")
            print("layout:      \(reader.format.rawValue)")
            print("images:      \(reader.count) x \(reader.height)x\(reader.width)x\(reader.channels) (stored as \(reader.storedType))")
            for storage in reader.storage() {
                let chunk = storage.chunk.map { "\($0)" } ?? (reader.isVirtual ? "of its parts (virtual: \(reader.virtualParts.joined(separator: ", ")))" : "contiguous")
                let filters = storage.filters.isEmpty ? "" : ", filters \(storage.filters.joined(separator: "+"))"
                print("dataset:     \(storage.path) shape \(storage.shape), chunks \(chunk)\(filters)")
            }
            // Value range and checks over the whole file, chunk by chunk.
            var lo = Float.infinity, hi = -Float.infinity, nonFinite = 0
            let step = max(1, reader.chunkLength)
            var buffer = [Float](repeating: 0, count: step * reader.sampleSize)
            var start = 0
            do {
                while start < reader.count {
                    let n = min(step, reader.count - start)
                    try buffer.withUnsafeMutableBufferPointer { (b) throws(DatasetError) in try reader.read(start: start, count: n, into: b) }
                    for v in buffer.prefix(n * reader.sampleSize) {
                        if !v.isFinite { nonFinite += 1; continue }
                        lo = min(lo, v); hi = max(hi, v)
                    }
                    start += n
                }
            } catch {
                throw UserInputError(message: error.description)
            }
            print("values:      [\(lo), \(hi)] after mapping to [-1, 1]")
            let descriptions = (try? reader.descriptions()) ?? []
            var problems: [String] = []
            do {
                if let names = try reader.labelNames(), let labels = try reader.labels() {
                    var counts = [Int](repeating: 0, count: names.count)
                    for label in labels { counts[Int(label)] += 1 }
                    let shown = zip(names, counts).prefix(12).map { "\($0) \($1)" }.joined(separator: ", ")
                    print("labels:      \(names.count) classes: \(shown)" + (names.count > 12 ? ", ..." : ""))
                } else {
                    print("labels:      none (\(Set(descriptions).count) distinct descriptions)")
                }
            } catch {
                problems.append(error.description)
            }
            print("attributes:")
            for (name, value) in reader.attributes() { print("  \(name) = \(value)") }
            if nonFinite > 0 { problems.append("\(nonFinite) values are NaN or infinite") }
            if lo < -1.0001 || hi > 1.0001 { problems.append("values outside [-1, 1]") }
            if descriptions.count != reader.count { problems.append("\(descriptions.count) descriptions for \(reader.count) images") }
            if problems.isEmpty { print("valid:       yes") } else {
                throw UserInputError(message: "\(file): invalid: " + problems.joined(separator: "; "))
            }
            if let grid {
                let n = min(gridCount, reader.count)
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
}
