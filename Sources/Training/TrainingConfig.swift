import Foundation
import GAN
import HDF5
import Storage

/// Everything that defines a training run; written to `config.json` and into
/// every checkpoint (so `ganprep sample` can rebuild the model from one file).
public struct TrainingConfig: Codable, Sendable, Equatable {
    public var dataset: String
    public var model: String
    public var height: Int
    public var width: Int
    public var channels: Int
    public var latent: Int
    /// dcgan width: feature maps at the widest ends.
    public var featureMaps: Int
    public var batch: Int
    public var learningRate: Float
    public var beta1: Float
    public var realLabel: Float
    public var seed: UInt64
    public var stream: Bool
    public var prefetch: Int
    /// Run length: `steps` when given, else `epochs` full passes.
    public var epochs: Int
    public var steps: Int?
    /// Sample grid every N steps; nil: at the end of every epoch.
    public var sampleEvery: Int?
    /// Checkpoint every N steps; nil: at the end of every epoch. A final one is always written.
    public var checkpointEvery: Int?
    public var threads: Int
    /// Checkpoints kept on disk (the newest ones).
    public var keepCheckpoints: Int

    public init(dataset: String, model: String = "dcgan", height: Int, width: Int, channels: Int, latent: Int = 100,
                featureMaps: Int = 64, batch: Int = 64, learningRate: Float = 2e-4, beta1: Float = 0.5, realLabel: Float = 1,
                seed: UInt64 = 0, stream: Bool = false, prefetch: Int = 4, epochs: Int = 10, steps: Int? = nil,
                sampleEvery: Int? = nil, checkpointEvery: Int? = nil, threads: Int = 1, keepCheckpoints: Int = 3) {
        self.dataset = dataset
        self.model = model
        self.height = height
        self.width = width
        self.channels = channels
        self.latent = latent
        self.featureMaps = featureMaps
        self.batch = batch
        self.learningRate = learningRate
        self.beta1 = beta1
        self.realLabel = realLabel
        self.seed = seed
        self.stream = stream
        self.prefetch = prefetch
        self.epochs = epochs
        self.steps = steps
        self.sampleEvery = sampleEvery
        self.checkpointEvery = checkpointEvery
        self.threads = threads
        self.keepCheckpoints = keepCheckpoints
    }

    public var architecture: GANArchitecture { GANArchitecture(rawValue: model) ?? .dcgan }

    /// Checks a configuration read from a file (a checkpoint's) before a
    /// model is built from it: a known model, sizes a model can have.
    public func validated(source: String) throws(TrainingError) -> TrainingConfig {
        var problems: [String] = []
        if GANArchitecture(rawValue: model) == nil { problems.append("model \(model) is neither dcgan nor mlp") }
        if !(1...8192).contains(height) || !(1...8192).contains(width) { problems.append("image size \(height)x\(width)") }
        if channels != 1 && channels != 3 { problems.append("\(channels) channels") }
        if !(1...16_384).contains(latent) { problems.append("latent size \(latent)") }
        if !(1...4096).contains(featureMaps) { problems.append("\(featureMaps) feature maps") }
        if model == GANArchitecture.dcgan.rawValue && !(height == width && [32, 64, 128].contains(height)) {
            problems.append("dcgan at \(height)x\(width)")
        }
        guard problems.isEmpty else { throw .checkpoint("\(source): its run configuration is not one ganprep trains: " + problems.joined(separator: ", ")) }
        return self
    }

    /// Settings a resumed run must share with the run it continues, so the
    /// steps after the checkpoint are the ones an uninterrupted run would take.
    public func resumeMismatches(_ other: TrainingConfig) -> [String] {
        var problems: [String] = []
        func check<T: Equatable>(_ name: String, _ a: T, _ b: T) { if a != b { problems.append("\(name) \(b) (checkpoint has \(a))") } }
        check("model", model, other.model)
        check("image shape", [height, width, channels], [other.height, other.width, other.channels])
        check("latent", latent, other.latent)
        check("feature maps", featureMaps, other.featureMaps)
        check("batch", batch, other.batch)
        check("seed", seed, other.seed)
        check("stream", stream, other.stream)
        return problems
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    public static func from(json: String) -> TrainingConfig? {
        try? JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
    }

    /// The configuration a checkpoint was written with (its `config`
    /// attribute), nil when the file has none.
    /// - Throws: the HDF5 error when the file cannot be opened.
    public static func from(checkpoint path: String) throws(HDF5Error) -> TrainingConfig? {
        let file = try HDF5File.open(path)
        guard file.hasAttribute("config"), let json = try file.attribute("config").stringValue else { return nil }
        return from(json: json)
    }
}

/// Why training cannot start or go on.
public enum TrainingError: Error, CustomStringConvertible, Sendable {
    case dataset(String)
    case checkpoint(String)
    case output(String)
    case resume(String)
    /// The losses became NaN or infinite.
    case diverged(String)
    /// A file could not be written (a full disk, another run holding the directory, ...).
    case storage(StorageError)

    public var description: String {
        switch self {
        case let .dataset(message), let .checkpoint(message), let .output(message), let .resume(message), let .diverged(message):
            return message
        case let .storage(error): return error.description
        }
    }
}
