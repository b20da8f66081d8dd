import DatasetFile
import Pack
import GAN
import Foundation
import HDF5
import Imaging
import Records
import Storage
import Training

/// `inspect`'s views of what pack kept and left out: the counts by reason,
/// `--stats`, and `--grid-dropped`.
extension GANPrep.Inspect {
    /// "kept 120; near-duplicate 3, too small 2" from a `counts_by_reason` attribute.
    static func describe(counts value: HDF5AttributeValue) -> String {
        guard let text = value.stringValue, case let .object(fields)? = try? JSONParser.parse(Array(text.utf8)) else { return "\(value)" }
        let kept = fields.first { $0.0 == "kept" }?.1.intValue ?? 0
        let dropped = fields.filter { $0.0 != "kept" && ($0.1.intValue ?? 0) > 0 }.map { "\($0.0) \($0.1.intValue ?? 0)" }
        return "kept \(kept)" + (dropped.isEmpty ? ", none left out" : "; left out: " + dropped.joined(separator: ", "))
    }

    static func printStats(reader: DatasetReader, statistics: DatasetStatistics, manifest: String) throws {
        if let names = try reader.labelNames(), let labels = try reader.labels() {
            let counts = DatasetReader.classCounts(labels, classes: names.count)
            print("per class:")
            let width = names.map(\.count).max() ?? 0
            for (name, count) in zip(names, counts) { print("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(count)") }
        }
        let names = reader.channels == 1 ? ["gray"] : ["channel 0", "channel 1", "channel 2"]
        for (c, name) in names.enumerated() {
            print(String(format: "pixels:      %@ mean %.4f, standard deviation %.4f (in [-1, 1])", name,
                         statistics.channelMeans[c], statistics.channelDeviations[c]))
        }
        guard FileManager.default.fileExists(atPath: manifest) else {
            print("sources:     no pack manifest (\(manifest)): source sizes unknown")
            return
        }
        // Counted a line at a time: a million images' manifest is never all in memory.
        var histogram = SizeHistogram()
        try PackManifest.forEach(manifest) { histogram.add($0) }
        let bins = histogram.bins
        print("sources:     kept images by the shorter side of their source (px): "
              + bins.map { "\($0.bin) \($0.count)" }.joined(separator: ", "))
    }

    /// Renders up to `count` near-duplicate pairs (kept image from the file,
    /// dropped one decoded from its source as pack would); returns how many.
    static func renderDropped(reader: DatasetReader, manifest: String, count: Int, to path: String) throws -> Int {
        let entries: [PackManifestEntry]
        entries = try PackManifest.read(manifest)
        let pairs = entries.filter { $0.dropped == .nearDuplicate && $0.of != nil && $0.path != nil }.prefix(count)
        guard !pairs.isEmpty else { throw UserInputError(message: "\(manifest) lists no near-duplicates (pack with --dedup near)") }
        let attributes = Dictionary(reader.attributes().map { ($0.name, $0.value) }) { a, _ in a }
        let mode = attributes["resize_mode"]?.stringValue.flatMap(ResizeMode.init(rawValue:)) ?? .centerCrop
        let order = attributes["channel_order"]?.stringValue.flatMap(ChannelOrder.init(rawValue:)) ?? .rgb
        let preprocessor = ImagePreprocessor(size: ImageSize(width: reader.width, height: reader.height), channels: reader.channels,
                                             channelOrder: order, mode: mode, decoder: ImageDecoder(strict: false))
        let size = reader.sampleSize
        var samples = [Float](repeating: 0, count: 2 * pairs.count * size)
        var names: [String] = []
        do {
            for (row, entry) in pairs.enumerated() {
                let kept = entry.of!
                guard kept < reader.count else { throw UserInputError(message: "\(manifest): \(entry.name) duplicates image \(kept), past the file's \(reader.count)") }
                try samples.withUnsafeMutableBufferPointer { b in
                    try reader.read(start: kept, count: 1, into: UnsafeMutableBufferPointer(rebasing: b[(2 * row * size)..<((2 * row + 1) * size)]))
                    let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: entry.path!)))
                    try preprocessor.process(data, into: UnsafeMutableBufferPointer(rebasing: b[((2 * row + 1) * size)..<((2 * row + 2) * size)]))
                }
                names.append("\(entry.distance ?? 0) BITS: \(kept) - \(entry.input ?? -1)")
            }
            let tensor = GAN.Tensor(shape: [2 * pairs.count, reader.height, reader.width, reader.channels], values: samples)
            try FileWriting.replace(path, with: PNGEncoder.encode(ClassGrid.render(tensor, rowNames: names, columns: 2)))
        } catch let error as UserInputError {
            throw error
        } catch {
            throw InternalFailure(message: "cannot draw \(path): \(error)")
        }
        return pairs.count
    }
}
