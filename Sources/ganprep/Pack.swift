import ArgumentParser
import DatasetFile
import Pack
import Foundation
import Imaging

extension GANPrep {
    struct Pack: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pack",
            abstract: "Decode, resize and normalize images to [-1, 1] and write a chunked HDF5 dataset.",
            discussion: """
                INPUT is a fetch output directory (its manifest's ok records, with their descriptions and URLs; the manifest parts of a sharded fetch are read as one) or a plain folder of JPEG/PNG files (descriptions from the file names). Formats are judged by the bytes. Images are decoded on all cores (JPEGs at the smallest DCT scale that still covers the target), fitted by an area-averaging resize, normalized as x / 127.5 - 1, and written in input order to /images, float32 [N, H, W, C], chunked in whole images along N (about 1 MiB per chunk by default). Broken, truncated, oversized or unsupported files are skipped with their reason. The file is written under OUT.<pid>.partial and renamed when complete; one pack at a time writes OUT (a second is refused with the first one's pid).

                Cleaning (each off by default): --min-size PX leaves out images whose source's shorter side is below PX (measured before resizing; without it pack warns when more than 5% of the kept images were enlarged), --max-aspect R those whose longer side over shorter side is above R, --min-std S near-blank ones (standard deviation of the normalized pixels below S). --dedup exact leaves out images with the same bytes as an earlier kept one, --dedup near[:BITS] also those whose perceptual hash (dHash, 64 bits) is within BITS (6) bits of an earlier kept one's. OUT.pack.jsonl says what became of every input image: its index in the file, or why it was left out (decode error, too small, aspect, blank, duplicate or near-duplicate of which image, at what distance), with the source's pixel size; the counts are in the file's counts_by_reason attribute (ganprep inspect prints them).
                """)

        @Argument(help: "A fetch output directory, or a folder of image files.")
        var input: String

        @Option(help: "The HDF5 file to write.")
        var out: String = "dataset.h5"

        @Option(help: "Target size: 64 (square) or WIDTHxHEIGHT, e.g. 128x96. (default: 64)", transform: OptionParsers.size)
        var size = ImageSize(64)

        @Option(name: .customLong("resize-mode"), help: "center-crop (cover, then crop), pad (fit, white margins) or stretch.")
        var resizeMode: ResizeMode = .centerCrop

        @Option(help: "3 (RGB) or 1 (gray). (values: 1, 3; default: 3)", transform: OptionParsers.channels)
        var channels: Int = 3

        @Option(name: .customLong("channel-order"), help: "rgb or bgr (OpenCV's order, as GAPCV stores colour).")
        var channelOrder: ChannelOrder = .rgb

        @Option(help: "Images per HDF5 chunk along N (default: about 1 MiB per chunk).")
        var chunk: Int?

        @Option(help: "none, or gzip[:LEVEL] (deflate level 1-9; gzip alone is level 4).")
        var compression: DatasetCompression = .none

        @Option(help: "ganprep, or gapcv (GAPCV's layout, opened by its Images().load()).")
        var layout: DatasetFormat = .ganprep

        @Option(help: "Class labels from each record's description (a plain folder: its sub-folders), from a record field (field:NAME), or none.")
        var labels: LabelSource = .description

        @Option(name: .customLong("max-classes"), help: "More distinct label values than this are free text: no labels.")
        var maxClasses: Int = LabelVocabulary.defaultMaxClasses

        @Option(help: "Decoding threads (default: all cores).")
        var workers: Int = availableCores

        @Option(name: .customLong("max-pixels"), help: "Refuse images whose header declares more pixels than this.")
        var maxPixels: Int = 100_000_000

        @Flag(help: "Accept JPEGs that decode with warnings (e.g. premature end), as most viewers do.")
        var lenient = false

        @Option(name: .customLong("min-size"), help: "Leave out images whose source's shorter side is below this many pixels.")
        var minSize: Int?

        @Option(name: .customLong("max-aspect"), help: "Leave out images whose longer side over shorter side is above this.")
        var maxAspect: Double?

        @Option(name: .customLong("min-std"), help: "Leave out near-blank images: standard deviation of the normalized pixels ([-1, 1]) below this.")
        var minStd: Double?

        @Option(help: "Leave out duplicates: exact (the same bytes), or near[:BITS] (also perceptual hashes within BITS bits, 6 by default).")
        var dedup: Dedup?

        @OptionGroup var sharding: ShardSelection
        var shard: String? { sharding.shard }

        @OptionGroup var output: QuietOption
        var quiet: Bool { output.quiet }

        func validate() throws {
            try OptionChecks.integer("--workers", workers, in: 1...256)
            try OptionChecks.integer("--max-pixels", maxPixels, in: 1...1_000_000_000)
            try OptionChecks.integer("--max-classes", maxClasses, in: 1...1_000_000)
            try OptionChecks.integer("--min-size", minSize, in: 1...1_000_000)
            if let maxAspect { try OptionChecks.number("--max-aspect", maxAspect, in: 1...1_000_000) }
            if let minStd { try OptionChecks.number("--min-std", minStd, in: 0...1) }
            if let chunk {
                let imageBytes = size.width * size.height * channels * MemoryLayout<Float>.size
                try OptionChecks.integer("--chunk", chunk, in: 1...max(1, DatasetLayout.maxChunkBytes / imageBytes))
            }
        }

        func run() throws {
            let shard = try ShardOption.resolve(self.shard, quiet: quiet)
            let out = try ShardOption.output(self.out, shard: shard, option: "--out")
            let scanned: (items: PackItems, skipped: [SkippedImage], labels: LabelSource)
            scanned = try PackInput.scan(input, labels: labels, shard: shard)
            let preprocessor = ImagePreprocessor(
                size: size, channels: channels, channelOrder: channelOrder, mode: resizeMode,
                decoder: ImageDecoder(maxPixels: maxPixels, strict: !lenient))
            let writer = DatasetWriterOptions(
                size: size, channels: channels, channelOrder: channelOrder, resizeMode: resizeMode,
                chunk: chunk, compression: compression, createdBy: "ganprep \(GANPrep.version)",
                labels: scanned.labels, maxClasses: maxClasses)
            let filters = PackFilters(minSize: minSize, maxAspect: maxAspect, minStd: minStd, dedup: dedup)
            var options = PackOptions(preprocessor: preprocessor, format: layout, writer: writer, workers: workers, filters: filters)
            options.inputPath = URL(fileURLWithPath: input).standardizedFileURL.path
            let progress = ProgressLine(quiet: quiet)
            let summary: PackSummary
            summary = try Packer(options: options).run(items: scanned.items, preSkipped: scanned.skipped, outputPath: out) { p in
                progress.update(fraction: Double(p.done) / Double(max(p.total, 1)),
                                text: "pack \(p.done)/\(p.total)  written \(p.written)  skipped \(p.skipped)  " + String(format: "%.1f images/s", p.rate),
                                now: p.elapsed, final: p.done == p.total)
            }
            if !quiet {
                for skip in summary.skipped { printError("skipped \(skip.name): \(skip.message)") }
            }
            print("packed \(summary.written) images into \(out) (\(size.height)x\(size.width)x\(channels), \(layout.rawValue) layout) in "
                  + String(format: "%.2fs, %.1f images/s", summary.seconds, summary.imagesPerSecond))
            switch summary.labels {
            case let .labels(names, _): print("labels: \(names.count) classes from \(scanned.labels)")
            case let .none(reason): print("labels: none (\(reason))")
            }
            let reasons = summary.skippedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            print("skipped \(summary.skipped.count)" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: ", ")))
            print("pack manifest: \(summary.manifestPath)")
            if minSize == nil, summary.written > 0, Double(summary.upscaled) > 0.05 * Double(summary.written) {
                printError("warning: \(summary.upscaled) of the \(summary.written) images kept (" + String(format: "%.0f%%", 100 * Double(summary.upscaled) / Double(summary.written))
                           + ") are smaller than \(min(size.width, size.height)) px on their shorter side and were enlarged; --min-size \(min(size.width, size.height)) leaves them out")
            }
        }
    }
}
