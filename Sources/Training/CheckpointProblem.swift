import DatasetFile
import HDF5

/// Why a checkpoint cannot be used (the payload of `TrainingError.checkpoint`).
public enum CheckpointProblem: Sendable, CustomStringConvertible {
    /// The file has no run configuration.
    case notACheckpoint(path: String)
    /// libhdf5 cannot open the file or read its configuration.
    case unreadable(path: String, HDF5Error)
    /// The configuration attribute is not JSON of a run configuration (the decoder's error).
    case unreadableConfig(path: String, cause: any Error)
    /// The configuration names a model ganprep does not have (the decoder's account).
    case unknownModel(path: String, detail: String)
    /// The configuration holds sizes no model can have.
    case invalidConfig(path: String, problems: [ConfigProblem])
    /// Its model needs more memory than the machine has.
    case modelMemory(path: String, neededMiB: Int, availableMiB: Int)
    /// The generator's images give NaN or infinite features.
    case nonFiniteGeneration(classifier: String)

    /// The problem in words, naming the file.
    public var description: String {
        switch self {
        case let .notACheckpoint(path): return "\(path) is not a ganprep checkpoint (no run configuration)"
        case let .unreadable(path, error): return "\(path): \(error)"
        case let .unreadableConfig(path, cause): return "\(path): its run configuration cannot be read: \(cause)"
        case let .unknownModel(path, detail): return "\(path): its run configuration is not one ganprep trains: \(detail)"
        case let .invalidConfig(path, problems):
            return "\(path): its run configuration is not one ganprep trains: " + problems.map(\.description).joined(separator: ", ")
        case let .modelMemory(path, needed, available): return "\(path): its model needs about \(needed) MiB, more than the \(available) MiB available"
        case let .nonFiniteGeneration(classifier):
            return "the generated images' features are not finite: the generator's weights hold NaN or infinite values, or \(classifier)'s do"
        }
    }
}

/// A value of a saved run configuration no model can have.
public enum ConfigProblem: Sendable, CustomStringConvertible {
    /// Height or width outside 1...8192.
    case imageSize(height: Int, width: Int)
    /// Not 1 or 3 channels.
    case channels(Int)
    /// A latent size outside 1...16384.
    case latent(Int)
    /// Feature maps outside 1...4096.
    case featureMaps(Int)
    /// A conditional model of fewer than 2 or more than 100,000 classes.
    case classCount(Int)
    /// Class names that cannot name classes.
    case classNames(ClassNamesProblem)
    /// dcgan at a size it does not build.
    case dcganSize(height: Int, width: Int)

    /// The value in words.
    public var description: String {
        switch self {
        case let .imageSize(height, width): return "image size \(height)x\(width)"
        case let .channels(channels): return "\(channels) channels"
        case let .latent(latent): return "latent size \(latent)"
        case let .featureMaps(maps): return "\(maps) feature maps"
        case let .classCount(classes): return "a conditional model of \(classes) classes"
        case let .classNames(problem): return problem.description
        case let .dcganSize(height, width): return "dcgan at \(height)x\(width)"
        }
    }
}
