import ArgumentParser
import Export
import Foundation
import Support

extension ExportFormat: ExpressibleByArgument {}

extension GANPrep {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write a dataset's images as PNGs for StyleGAN, WebDataset or torchvision's ImageFolder.",
            discussion: """
                Pixels are pack's normalisation undone: round(x * 127.5 + 127.5), clamped to 0...255, in RGB order (a file packed with --channel-order bgr is turned back), gray images as gray PNGs.
                  stylegan    StyleGAN2-ADA's / StyleGAN3's dataset_tool.py layout: 00000/img00000000.png ... in groups of 1,000 and dataset.json with {"labels": [[name, class], ...]} (null without labels); a zip when --out ends in .zip, else a folder. Square power-of-two sizes only.
                  webdataset  tar shards 00000.tar ... of --shard-size samples: KEY.png, KEY.json (description, url, sha256, label, label_name) and KEY.cls (the class index).
                  folder      one sub-folder of PNGs per class (torchvision's ImageFolder); without labels, one folder "unlabelled".
                The output is written under a temporary name and renamed when complete; a folder output must not exist yet.
                """)

        @Argument(help: "The dataset file (either layout, or a merged file).")
        var dataset: String

        @Option(help: "stylegan, webdataset or folder.")
        var format: ExportFormat

        @Option(help: "The zip file or folder to write.")
        var out: String

        @Option(help: "webdataset: samples per tar shard.")
        var shardSize: Int = 1000

        @OptionGroup var output: QuietOption

        func validate() throws {
            if shardSize < 1 { throw ValidationError("--shard-size \(shardSize): a shard holds at least 1 sample") }
        }

        func run() throws {
            let progress = ProgressLine(quiet: output.quiet)
            let started = monotonicSeconds()
            let summary = try Exporter(options: ExportOptions(format: format, shardSize: shardSize))
                .run(dataset: dataset, out: out) { done, total in
                    let elapsed = monotonicSeconds() - started
                    progress.update(fraction: Double(done) / Double(max(total, 1)),
                                    text: String(format: "export: %d/%d images, %.0f images/s", done, total, Double(done) / max(elapsed, 1e-9)),
                                    now: elapsed, final: done == total)
                }
            print(String(format: "exported %d images to %@ (%@, %d files, %.2fs, %.0f images/s)", summary.images, out, format.rawValue,
                         summary.files, summary.seconds, Double(summary.images) / max(summary.seconds, 1e-9)))
        }
    }
}

extension GANPrep.Export: NeedsNativeLibraries { static let nativeLibraries: NativeLibraries = [.preloadHDF5] }
