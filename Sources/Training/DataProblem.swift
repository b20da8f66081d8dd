import DatasetFile

/// Why data cannot train, or be measured, with this configuration (the
/// payload of `TrainingError.dataset`): each case names the file and the
/// sizes or classes involved.
public enum DataProblem: Sendable, CustomStringConvertible {
    /// What needs class labels, for the advice given.
    public enum LabelUse: Sendable {
        /// `--conditional` training.
        case conditional
        /// Training a classifier.
        case classifier
    }

    /// The file holds no images.
    case noImages(path: String)
    /// The file has no class labels, which `use` needs.
    case noLabels(path: String, use: LabelUse)
    /// The file's images are all of one class (`name`).
    case oneClass(path: String, name: String, use: LabelUse)
    /// `--grid-classes` names a class the file does not have.
    case unknownGridClass(path: String, name: String, classes: [String])
    /// dcgan trains on square 32, 64 or 128 pixel images.
    case dcganSize(path: String, height: Int, width: Int)
    /// Images too small for the classifier.
    case tooSmallForClassifier(path: String, height: Int, width: Int)
    /// The images need more memory than the machine has (classifier training holds them all).
    case imagesMemory(path: String, count: Int, neededMiB: Int, availableMiB: Int)
    /// The model, batch and prefetch of `config` need more memory than the machine has.
    case trainingMemory(config: TrainingConfig, neededMiB: Int, availableMiB: Int)
    /// An epoch ended before its batches did (a file changed under the run).
    case shortEpoch(path: String, epoch: Int, batches: Int, expected: Int)
    /// A batch holds a NaN or infinite pixel.
    case nonFiniteBatch(path: String, step: Int, epoch: Int, value: Float)
    /// The generator is not conditional on the dataset's classes.
    case generatorNotConditional(classes: [String])
    /// The dataset's classes are not the generator's.
    case classesDiffer(dataset: [String]?, generator: [String])
    /// A conditional generator of `classes` classes against a dataset of `datasetClasses` (nil: no labels).
    case conditionalClassCount(classes: Int, datasetClasses: Int?)
    /// The classifier gives NaN or infinite features for a real image.
    case nonFiniteFeatures(classifier: String, image: Int, path: String)
    /// A metric came out NaN or infinite.
    case nonFiniteMetric(name: String, value: Double)
    /// `report`'s run is not a run directory.
    case notARunDirectory(path: String)

    /// The problem in words, naming the file.
    public var description: String {
        switch self {
        case let .noImages(path): return "\(path) holds no images"
        case let .noLabels(path, use):
            let repack = "pack it again with --labels description or --labels field:NAME"
            return use == .conditional ? "\(path) has no class labels, which --conditional trains on: \(repack)" : "\(path) has no class labels: \(repack)"
        case let .oneClass(path, name, use):
            return use == .conditional ? "\(path) has images of one class (\(name)): --conditional needs two or more"
                : "\(path) has one class (\(name)): a classifier needs two or more"
        case let .unknownGridClass(path, name, classes):
            return "--grid-classes: \(path) has no class \"\(name)\"; its classes: " + classes.map { "\"\($0)\"" }.joined(separator: ", ")
        case let .dcganSize(path, height, width):
            return "\(path): dcgan trains on 32, 64 or 128 pixel square images, the file holds \(height)x\(width); use --model mlp or pack with --size 32/64/128"
        case let .tooSmallForClassifier(path, height, width): return "\(path): images of \(height)x\(width) are too small for the classifier"
        case let .imagesMemory(path, count, needed, available):
            return "\(path): its \(count) images need \(needed) MiB in memory, more than the \(available) MiB available"
        case let .trainingMemory(config, needed, available):
            return "training \(config.model.rawValue) on \(config.height)x\(config.width)x\(config.channels) images with batch \(config.batch), "
                + "latent \(config.latent), feature maps \(config.featureMaps) and prefetch \(config.prefetch) needs about \(needed) MiB, "
                + "more than the \(available) MiB available; lower --batch, --feature-maps, --latent or --prefetch"
        case let .shortEpoch(path, epoch, batches, expected): return "\(path): epoch \(epoch) ended after \(batches) of \(expected) batches"
        case let .nonFiniteBatch(path, step, epoch, value):
            return "\(path): a value of the batch for step \(step) (epoch \(epoch)) is \(value); the file holds NaN or infinite pixels (ganprep inspect names how many)"
        case let .generatorNotConditional(classes):
            return "the generator is not conditional on the \(classes.count) classes \(classes.prefix(3).joined(separator: ", "))..."
        case let .classesDiffer(dataset, generator):
            return "the dataset's classes (\(dataset?.joined(separator: ", ") ?? "none")) are not the generator's (\(generator.joined(separator: ", ")))"
        case let .conditionalClassCount(classes, datasetClasses):
            return "the generator is conditional on \(classes) classes, the dataset has \(datasetClasses.map { "\($0) classes" } ?? "no labels")"
        case let .nonFiniteFeatures(classifier, image, path):
            return "\(classifier) gives non-finite features for image \(image) of \(path): its pixel values are far outside [-1, 1], or the classifier's weights are not finite"
        case let .nonFiniteMetric(name, value): return "\(name) came out \(value) (not a number): the features are too large for double precision"
        case let .notARunDirectory(path): return "\(path) is not a run directory (ganprep train --out)"
        }
    }
}
