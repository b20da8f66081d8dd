import DatasetFile
import Dispatch
import Foundation
import Imaging
import Records
import Storage
import Support

/// Writes a dataset file's images as PNGs in another tool's layout
/// (`ExportFormat`), under a temporary name renamed into place when complete.
public struct Exporter {
    /// What to write.
    public let options: ExportOptions

    /// An exporter of `options`.
    public init(options: ExportOptions) { self.options = options }

    /// The dataset's metadata an export writes beside the pixels.
    struct Metadata {
        var descriptions: [String], urls: [String], sha256: [String]
        var labels: [Int32]?, names: [String]?
        var bgr: Bool
    }

    /// Exports `dataset` to `out`; `progress` is told (done, total) after each chunk.
    public func run(dataset: String, out: String, progress: ((Int, Int) -> Void)? = nil) throws(ExportError) -> ExportSummary {
        let started = monotonicSeconds()
        guard options.shardSize >= 1 else { throw .shardSize(options.shardSize) }
        let reader: DatasetReader
        let metadata: Metadata
        do {
            reader = try DatasetReader(path: dataset)
            let order = reader.attributes().first { $0.name == "channel_order" }?.value.stringValue
            metadata = Metadata(descriptions: try reader.descriptions(), urls: try reader.strings(DatasetLayout.urls),
                                sha256: try reader.strings(DatasetLayout.sha256), labels: try reader.labels(),
                                names: try reader.labelNames(), bgr: order == "bgr")
        } catch {
            throw .dataset(error)
        }
        if options.format == .stylegan {
            let side = reader.height
            guard side == reader.width, side >= 4, side <= 1024, side & (side - 1) == 0 else {
                throw .notStyleGANSize(path: dataset, height: reader.height, width: reader.width)
            }
        }
        let asZip = options.format == .stylegan && (options.zip ?? out.lowercased().hasSuffix(".zip"))
        let target = try ExportTarget(out: out, dataset: dataset, isFile: asZip)
        defer { target.release() }
        let sink = try makeSink(target.temporary, asZip: asZip)
        var layout = ExportLayout(format: options.format, metadata: metadata)
        try writeImages(reader, metadata: metadata, into: sink, layout: &layout, progress: progress)
        do {
            try layout.finish(into: sink)
            try sink.finish()
        } catch {
            throw .storage(error)
        }
        try target.commit()
        return ExportSummary(images: reader.count, out: out, files: layout.files, seconds: monotonicSeconds() - started)
    }

    private func makeSink(_ temporary: String, asZip: Bool) throws(ExportError) -> any ExportSink {
        do {
            switch options.format {
            case .stylegan where asZip: return try ZipWriter(path: temporary)
            case .stylegan, .folder: return FolderWriter(directory: temporary)
            case .webdataset: return TarWriter(directory: temporary, samplesPerShard: options.shardSize)
            }
        } catch {
            throw .storage(error)
        }
    }

    /// Reads the images a chunk at a time, encodes each chunk's PNGs on every core, and adds them in order.
    private func writeImages(_ reader: DatasetReader, metadata: Metadata, into sink: any ExportSink, layout: inout ExportLayout,
                             progress: ((Int, Int) -> Void)?) throws(ExportError) {
        let step = max(1, min(reader.chunkLength, 256))
        let size = reader.sampleSize
        var values = [Float](repeating: 0, count: step * size)
        var start = 0
        while start < reader.count {
            let n = min(step, reader.count - start)
            do {
                try values.withUnsafeMutableBufferPointer { (buffer) throws(DatasetError) in
                    let rows = UnsafeMutableBufferPointer(rebasing: buffer[0..<(n * size)])
                    try reader.read(start: start, count: n, into: rows)
                    try reader.checkFinite(UnsafeBufferPointer(rows), firstImage: start)
                }
            } catch {
                throw .dataset(error)
            }
            let pngs = try encode(values, count: n, reader: reader, bgr: metadata.bgr, first: start)
            do {
                for (i, png) in pngs.enumerated() { try layout.add(image: start + i, png: png, to: sink) }
            } catch {
                throw .storage(error)
            }
            start += n
            progress?(start, reader.count)
        }
    }

    private func encode(_ values: [Float], count n: Int, reader: DatasetReader, bgr: Bool, first: Int) throws(ExportError) -> [[UInt8]] {
        let (size, width, height, channels) = (reader.sampleSize, reader.width, reader.height, reader.channels)
        let slots = UnsafeMutableBufferPointer<Result<[UInt8], ImageError>>.allocate(capacity: n)
        slots.initialize(repeating: .success([]))
        defer { slots.deinitialize(); slots.deallocate() }
        values.withUnsafeBufferPointer { all in
            let (input, output) = (UncheckedSendable(all), UncheckedSendable(slots))
            DispatchQueue.concurrentPerform(iterations: n) { i in
                let pixels = ExportPixels.bytes(UnsafeBufferPointer(rebasing: input.value[(i * size)..<((i + 1) * size)]),
                                                channels: channels, bgr: bgr)
                let image = DecodedImage(width: width, height: height, channels: channels, pixels: pixels)
                output.value[i] = Result { () throws(ImageError) in try PNGEncoder.encode(image, fast: true) }
            }
        }
        var pngs: [[UInt8]] = []
        for (i, result) in slots.enumerated() {
            switch result {
            case let .success(png): pngs.append(png)
            case let .failure(error): throw .encode(image: first + i, error)
            }
        }
        return pngs
    }
}
