import ArgumentParser
import DatasetFile
import Foundation
import Imaging

extension GANPrep {
    struct Pack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode, resize and normalize images to [-1, 1] and write a chunked HDF5 dataset.",
            discussion: """
                INPUT is a fetch output directory (its manifest's ok records, with their descriptions and URLs) or a plain folder of JPEG/PNG files (descriptions from the file names). Formats are judged by the bytes. Images are decoded on all cores (JPEGs at the smallest DCT scale that still covers the target), fitted by an area-averaging resize, normalized as x / 127.5 - 1, and written in input order to /images, float32 [N, H, W, C], chunked in whole images along N (about 1 MiB per chunk by default). Broken, truncated, oversized or unsupported files are skipped with their reason. The file is written under OUT.<pid>.partial and renamed when complete; one pack at a time writes OUT (a second is refused with the first one's pid).
                """)

        @Argument(help: "A fetch output directory, or a folder of image files.")
        var input: String

        @Option(help: "The HDF5 file to write.")
        var out: String = "dataset.h5"

        @Option(help: "Target size: 64 (square) or WIDTHxHEIGHT, e.g. 128x96.")
        var size: String = "64"

        @Option(name: .customLong("resize-mode"), help: "center-crop (cover, then crop), pad (fit, white margins) or stretch.")
        var resizeMode: String = "center-crop"

        @Option(help: "3 (RGB) or 1 (gray).")
        var channels: Int = 3

        @Option(name: .customLong("channel-order"), help: "rgb or bgr (OpenCV's order, as GAPCV stores colour).")
        var channelOrder: String = "rgb"

        @Option(help: "Images per HDF5 chunk along N (default: about 1 MiB per chunk).")
        var chunk: Int?

        @Option(help: "none, or gzip[:LEVEL] (1-9, default 4).")
        var compression: String = "none"

        @Option(help: "ganprep, or gapcv (GAPCV's layout, opened by its Images().load()).")
        var layout: String = "ganprep"

        @Option(help: "Decoding threads (default: all cores).")
        var workers: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(name: .customLong("max-pixels"), help: "Refuse images whose header declares more pixels than this.")
        var maxPixels: Int = 100_000_000

        @Flag(help: "Accept JPEGs that decode with warnings (e.g. premature end), as most viewers do.")
        var lenient = false

        @Flag(help: "Print only the summary.")
        var quiet = false

        /// Sides up to 8192 pixels: one 8192x8192x3 float image is 768 MiB.
        static let maxSide = 8192

        func parsedSize() throws -> (width: Int, height: Int) {
            // Empty parts count: "64x" and "x64" are refused, not read as 64.
            let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false).map { Int($0) }
            let sides: (Int, Int)
            if parts.count == 1, let side = parts[0] {
                sides = (side, side)
            } else if parts.count == 2, let w = parts[0], let h = parts[1] {
                sides = (w, h)
            } else {
                throw ValidationError("--size must be N or WIDTHxHEIGHT (e.g. 64 or 128x96), got \(size)")
            }
            guard (1...Self.maxSide).contains(sides.0), (1...Self.maxSide).contains(sides.1) else {
                throw ValidationError("--size sides must be from 1 to \(Self.maxSide) pixels, got \(size)")
            }
            return sides
        }

        func parsedCompression() throws -> Int? {
            if compression == "none" { return nil }
            if compression == "gzip" { return 4 }
            if compression.hasPrefix("gzip:"), let level = Int(compression.dropFirst(5)), (1...9).contains(level) { return level }
            throw ValidationError("--compression must be none, gzip or gzip:1 ... gzip:9")
        }

        func validate() throws {
            let (width, height) = try parsedSize()
            _ = try parsedCompression()
            guard channels == 1 || channels == 3 else { throw ValidationError("--channels must be 1 or 3, got \(channels)") }
            guard ResizeMode(rawValue: resizeMode) != nil else { throw ValidationError("--resize-mode must be center-crop, pad or stretch") }
            guard ChannelOrder(rawValue: channelOrder) != nil else { throw ValidationError("--channel-order must be rgb or bgr") }
            guard DatasetFormat(rawValue: layout) != nil else { throw ValidationError("--layout must be ganprep or gapcv") }
            try OptionChecks.integer("--workers", workers, in: 1...256)
            try OptionChecks.integer("--max-pixels", maxPixels, in: 1...1_000_000_000)
            if let chunk {
                let imageBytes = width * height * channels * MemoryLayout<Float>.size
                try OptionChecks.integer("--chunk", chunk, in: 1...max(1, DatasetLayout.maxChunkBytes / imageBytes))
            }
        }

        func run() throws {
            let (width, height) = try parsedSize()
            let scanned: (items: [PackItem], skipped: [(name: String, reason: String)])
            do { scanned = try PackInput.scan(input) } catch { throw UserInputError(message: error.description) }
            let preprocessor = ImagePreprocessor(
                width: width, height: height, channels: channels, channelOrder: ChannelOrder(rawValue: channelOrder)!,
                mode: ResizeMode(rawValue: resizeMode)!, decoder: ImageDecoder(maxPixels: maxPixels, strict: !lenient))
            let writer = DatasetWriterOptions(
                height: height, width: width, channels: channels, channelOrder: channelOrder, resizeMode: resizeMode,
                chunk: chunk, gzipLevel: try parsedCompression(), createdBy: "ganprep \(GANPrep.configuration.version)")
            let options = PackOptions(preprocessor: preprocessor, format: DatasetFormat(rawValue: layout)!, writer: writer, workers: workers)
            let progress = ProgressLine(quiet: quiet)
            let summary: PackSummary
            do {
                summary = try Packer(options: options).run(items: scanned.items, preSkipped: scanned.skipped, outputPath: out) { p in
                    progress.update(fraction: Double(p.done) / Double(max(p.total, 1)),
                                    text: "pack \(p.done)/\(p.total)  written \(p.written)  skipped \(p.skipped)  " + String(format: "%.1f images/s", p.rate),
                                    now: p.elapsed, final: p.done == p.total)
                }
            } catch {
                switch error {
                case .input, .storage(.locked): throw UserInputError(message: error.description)
                default: throw InternalFailure(message: error.description)
                }
            }
            if !quiet {
                for (name, reason) in summary.skipped { printError("skipped \(name): \(reason)") }
            }
            print("packed \(summary.written) images into \(out) (\(height)x\(width)x\(channels), \(layout) layout) in "
                  + String(format: "%.2fs, %.1f images/s", summary.seconds, summary.imagesPerSecond))
            let reasons = summary.skippedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            print("skipped \(summary.skipped.count)" + (reasons.isEmpty ? "" : ": " + reasons.joined(separator: ", ")))
        }
    }
}
