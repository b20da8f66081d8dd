import ArgumentParser
import Foundation
import Report
import Training

extension GANPrep {
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write one self-contained HTML page about a training run: its data, its training and its samples.",
            discussion: """
                The page tells the run's story from records to samples: the fetch statuses (counts, the hosts with the most failures, the first failed records), what pack kept and left out, the dataset's size and classes with a grid of real images; the configuration, losses and discriminator accuracy by step, FID and KID where the run was evaluated, speed, wall time, resumes and checkpoints; and every sample grid, the last one large, with a slider to step through them (the grids are also listed, for reading without JavaScript). Charts are inline SVG and images data URIs (--link-images: relative links instead); nothing is loaded from the network. The dataset comes from the run's config.json and the fetch directory from the dataset (what pack recorded, or fetched/ beside it); --dataset and --fetched override. Parts that cannot be found are listed at the top of the page instead of failing.
                """)

        @Argument(help: "The run directory (ganprep train --out).")
        var runDirectory: String

        @Option(help: "The HTML file to write (default: RUN/report.html).")
        var out: String?

        @Option(help: "The dataset the run trained on (default: from the run's config.json).")
        var dataset: String?

        @Option(help: "The fetch output directory the dataset was packed from.")
        var fetched: String?

        @Flag(name: .customLong("link-images"), help: "Link the grids by relative path instead of embedding them.")
        var linkImages = false

        func run() throws {
            let written = try RunReport.write(RunReport.Options(run: runDirectory, out: out, dataset: dataset, fetched: fetched,
                                                                linkImages: linkImages, generator: "ganprep \(GANPrep.version)"))
            print("report: \(written.path) (" + String(format: "%.1f", Double(written.bytes) / 1_048_576) + " MiB)")
            for part in written.missing { print("missing: \(part)") }
        }
    }
}
