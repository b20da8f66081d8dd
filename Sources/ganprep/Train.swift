import ArgumentParser

extension GANPrep {
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train a GAN (dense or DCGAN) on a packed dataset, in memory or streamed, with sample grids and checkpoints.")

        @Argument(help: "The HDF5 dataset written by pack.")
        var dataset: String?

        @Flag(help: "Stream shuffled mini-batches from the file instead of loading it into memory.")
        var stream = false

        func run() throws {
            throw NotImplementedYet(stage: "train")
        }
    }
}
