import ArgumentParser
import DatasetFile
import Evaluation
import Foundation
import GAN
import LinearAlgebra
import Storage
import Training

extension GANPrep {
    struct Classifier: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "classifier",
            abstract: "Train the feature extractor that eval's FID, KID and precision/recall use.",
            subcommands: [TrainClassifier.self])
    }

    struct TrainClassifier: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train a small CNN on a packed dataset's class labels and save it for eval.",
            discussion: """
                Four 3x3 conv + BatchNorm + ReLU blocks (32, 64, 128, 128 maps; the last three with stride 2), global average pooling, a 128-wide feature layer and a softmax over the dataset's classes (/labels, see pack --labels), trained with Adam on all images in memory but a seeded held-out share (--held-out), mirrored left-right at random. Prints each epoch's loss and accuracies; the file (HDF5) records the image size, the label names and the held-out accuracy.
                """)

        @Argument(help: "A packed dataset with class labels.")
        var dataset: String

        @Option(help: "The classifier file to write.")
        var out: String = "classifier.h5"

        @Option(help: "Full passes over the training images.")
        var epochs: Int = 15

        @Option(help: "Images per mini-batch.")
        var batch: Int = 64

        @Option(help: "Adam learning rate.")
        var lr: Float = 1e-3

        @Option(name: .customLong("held-out"), help: "Share of the images held out for the accuracy figure.")
        var heldOut: Double = 0.1

        @OptionGroup var seeding: SeedOption
        var seed: UInt64 { seeding.seed }

        @OptionGroup var threading: ThreadsOption
        var threads: Int { threading.threads }

        @OptionGroup var output: QuietOption
        var quiet: Bool { output.quiet }

        func validate() throws {
            try OptionChecks.integer("--epochs", epochs, in: 1...10_000)
            try OptionChecks.integer("--batch", batch, in: 1...65_536)
            try OptionChecks.positive("--lr", lr, max: 1)
            try OptionChecks.number("--held-out", heldOut, in: 0.01...0.5)
        }

        func run() throws {
            try DatasetProbe.check(dataset)
            try OutputTarget.check(out, option: "--out", inputs: [dataset])
            BLAS.threads = threads
            let trainer: ClassifierTrainer
            let reader = try DatasetReader(path: dataset)
            trainer = try ClassifierTrainer(reader: reader, options: ClassifierOptions(
                epochs: epochs, batch: batch, learningRate: lr, heldOut: heldOut, seed: seed))
            if !quiet {
                printError("training a classifier of \(trainer.labelNames.count) classes on \(trainer.trainIndices.count) images, "
                           + "holding out \(trainer.heldOutIndices.count)")
            }
            let epochs = trainer.train { e in
                if !quiet {
                    printError(String(format: "epoch %d  loss %.4f  train accuracy %.4f  held-out accuracy %.4f  %.1fs",
                                      e.epoch, e.loss, e.trainAccuracy, e.heldOutAccuracy, e.seconds))
                }
            }
            let accuracy = epochs.last?.heldOutAccuracy ?? .nan
            try ClassifierFile(model: trainer.model, labelNames: trainer.labelNames, heldOutAccuracy: accuracy, path: out)
                .save(dataset: dataset, seed: seed)
            print(String(format: "held-out accuracy %.4f on %d images (%d classes); classifier: %@", accuracy,
                         trainer.heldOutIndices.count, trainer.labelNames.count, out))
        }
    }
}
