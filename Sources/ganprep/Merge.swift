import ArgumentParser
import DatasetFile
import Foundation

extension GANPrep {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "Join datasets packed in shards (pack --shard I/N) into one dataset.",
            discussion: """
                By default the merged /images is an HDF5 virtual dataset over the parts' /images: no pixel is copied, the parts must stay where they are (they are found relative to the merged file), and h5py, ganprep train and every HDF5 1.10+ reader see one array. --copy writes a plain chunked file instead. Descriptions, URLs, SHA-256 digests and labels are joined into the merged file; labels are re-mapped to the sorted union of the parts' class names. Images whose SHA-256 an earlier image (in the order of the parts given) had are dropped and counted. Parts must agree on image size, channels, layout version, channel order and label source.
                """)

        @Argument(help: "The packed parts, in the order their images are to appear.")
        var parts: [String]

        @Option(help: "The merged HDF5 file to write.")
        var out: String = "dataset.h5"

        @Flag(help: "Copy the images into a plain chunked file instead of a virtual dataset over the parts.")
        var copy = false

        @Option(help: "With --copy: none, or gzip[:LEVEL].")
        var compression: DatasetCompression = .none

        @OptionGroup var output: QuietOption
        var quiet: Bool { output.quiet }

        func validate() throws {
            if parts.isEmpty { throw ValidationError("give at least one packed part to merge") }
            if compression != .none && !copy { throw ValidationError("--compression applies to --copy only (a virtual dataset keeps the parts' own storage)") }
        }

        func run() throws {
            let summary: MergeSummary
            summary = try DatasetMerger(copy: copy, compression: compression, createdBy: "ganprep \(GANPrep.version) merge")
                .run(parts: parts, outputPath: out)
            if !quiet {
                for part in summary.parts { print("  \(part.path): \(part.kept) images" + (part.dropped > 0 ? ", \(part.dropped) duplicates dropped" : "")) }
            }
            print("merged \(summary.parts.count) parts into \(out): \(summary.images) images, \(summary.duplicatesDropped) duplicates dropped ("
                  + (summary.isVirtual ? "virtual dataset, no pixel copied" : "copied") + String(format: ", %.2fs)", summary.seconds))
            if let names = summary.labelNames { print("labels: \(names.count) classes") }
        }
    }
}
