import ArgumentParser
import Fetch

@main
struct GANPrep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ganprep",
        abstract: "Turn image URL records into a GAN-ready HDF5 dataset, and train a GAN on it.",
        discussion: """
            Three stages, each usable on its own:
              ganprep fetch records.json        download images, write a manifest
              ganprep pack out --out data.h5    decode, resize, normalize, write HDF5
              ganprep train data.h5 --stream    train a GAN, write sample grids
            """,
        version: TransferOptions.ganprepVersion,
        subcommands: [Fetch.self, Pack.self, Train.self])
}
