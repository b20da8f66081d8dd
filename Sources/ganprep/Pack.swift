import ArgumentParser

extension GANPrep {
    struct Pack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decode, resize and normalize images to [-1, 1] and write a chunked HDF5 dataset.")

        @Argument(help: "A fetch output directory or a folder of image files.")
        var input: String?

        @Option(help: "The HDF5 file to write.")
        var out: String = "dataset.h5"

        func run() throws {
            throw NotImplementedYet(stage: "pack")
        }
    }
}
