import DatasetFile
import Foundation
import GAN
import HDF5

/// Everything that defines a training run: the user's options and the
/// image shape (and, for a conditional run, the class names) of the dataset
/// it trains on. Written to `config.json` and into
/// every checkpoint as one flat JSON object (so `ganprep sample` can rebuild
/// the model from one file); the options' fields read through as if they
/// were this type's own (`config.batch`).
@dynamicMemberLookup
public struct TrainingConfig: Codable, Sendable, Equatable {
    /// The user's options.
    public var options: TrainingOptions
    /// The dataset's image height.
    public var height: Int
    /// The dataset's image width.
    public var width: Int
    /// The dataset's channels.
    public var channels: Int
    /// A conditional run's class names, in label order (the generator's classes).
    public var labelNames: [String]?

    /// The configuration of a run of `options` on images of this shape (and these classes, when conditional).
    public init(options: TrainingOptions, height: Int, width: Int, channels: Int, labelNames: [String]? = nil) {
        self.options = options
        self.height = height
        self.width = width
        self.channels = channels
        self.labelNames = labelNames
    }

    /// Classes of the run's models: 0 for an unconditional run.
    public var classes: Int { options.conditional == true ? labelNames?.count ?? 0 : 0 }

    /// The options read through the configuration (`config.batch`).
    public subscript<Value>(dynamicMember path: WritableKeyPath<TrainingOptions, Value>) -> Value {
        get { options[keyPath: path] }
        set { options[keyPath: path] = newValue }
    }

    private enum ShapeKeys: String, CodingKey { case height, width, channels, labelNames = "label_names" }

    /// Reads config.json: the options and the image shape at the same level.
    public init(from decoder: any Decoder) throws {
        options = try TrainingOptions(from: decoder)
        let container = try decoder.container(keyedBy: ShapeKeys.self)
        height = try container.decode(Int.self, forKey: .height)
        width = try container.decode(Int.self, forKey: .width)
        channels = try container.decode(Int.self, forKey: .channels)
        labelNames = try container.decodeIfPresent([String].self, forKey: .labelNames)
    }

    /// Writes the options and the image shape at the same level.
    public func encode(to encoder: any Encoder) throws {
        try options.encode(to: encoder)
        var container = encoder.container(keyedBy: ShapeKeys.self)
        try container.encode(height, forKey: .height)
        try container.encode(width, forKey: .width)
        try container.encode(channels, forKey: .channels)
        try container.encodeIfPresent(labelNames, forKey: .labelNames)
    }

    /// Checks a configuration read from a file (a checkpoint's) before a
    /// model is built from it: sizes a model can have.
    public func validated(source: String) throws(TrainingError) -> TrainingConfig {
        var problems: [ConfigProblem] = []
        if !(1...8192).contains(height) || !(1...8192).contains(width) { problems.append(.imageSize(height: height, width: width)) }
        if channels != 1 && channels != 3 { problems.append(.channels(channels)) }
        if !(1...16_384).contains(options.latent) { problems.append(.latent(options.latent)) }
        if !(1...4096).contains(options.featureMaps) { problems.append(.featureMaps(options.featureMaps)) }
        if options.conditional == true && !(2...100_000).contains(labelNames?.count ?? 0) {
            problems.append(.classCount(labelNames?.count ?? 0))
        }
        if options.conditional == true, let names = labelNames, let problem = ClassNames.problem(names) { problems.append(.classNames(problem)) }
        if options.model == .dcgan && !(height == width && [32, 64, 128].contains(height)) {
            problems.append(.dcganSize(height: height, width: width))
        }
        guard problems.isEmpty else { throw .checkpoint(.invalidConfig(path: source, problems: problems)) }
        return self
    }

    /// Settings a resumed run must share with the run it continues, so the
    /// steps after the checkpoint are the ones an uninterrupted run would take.
    public func resumeMismatches(_ other: TrainingConfig) -> [ResumeProblem.Mismatch] {
        var problems: [ResumeProblem.Mismatch] = []
        func check<T: Equatable>(_ name: String, _ a: T, _ b: T) {
            if a != b { problems.append(ResumeProblem.Mismatch(setting: name, run: "\(b)", checkpoint: "\(a)")) }
        }
        check("model", options.model.rawValue, other.options.model.rawValue)
        check("image shape", [height, width, channels], [other.height, other.width, other.channels])
        check("latent", options.latent, other.options.latent)
        check("feature maps", options.featureMaps, other.options.featureMaps)
        check("batch", options.batch, other.options.batch)
        check("seed", options.seed, other.options.seed)
        check("stream", options.stream, other.options.stream)
        check("ranks (processes)", options.ranks ?? 1, other.options.ranks ?? 1)
        check("conditional", options.conditional ?? false, other.options.conditional ?? false)
        check("recipe", options.trainingRecipe.summary, other.options.trainingRecipe.summary)
        check("class balance", (options.classBalance ?? .frequency).rawValue, (other.options.classBalance ?? .frequency).rawValue)
        if options.conditional == true { check("class names", labelNames ?? [], other.labelNames ?? []) }
        return problems
    }

    /// config.json's text: pretty-printed, keys sorted.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Reads a configuration written by `json`; `source` names the file in errors.
    public static func from(json: String, source: String) throws(TrainingError) -> TrainingConfig {
        do {
            return try JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8))
        } catch let DecodingError.dataCorrupted(context) where context.codingPath.last?.stringValue == "model" {
            throw .checkpoint(.unknownModel(path: source, detail: context.debugDescription))
        } catch {
            throw .checkpoint(.unreadableConfig(path: source, cause: error))
        }
    }

    /// The configuration a checkpoint was written with (its `config`
    /// attribute), nil when the file has none.
    /// - Throws: `.checkpoint` when the file cannot be opened or its configuration read.
    public static func from(checkpoint path: String) throws(TrainingError) -> TrainingConfig? {
        let json: String?
        do {
            let file = try HDF5File.open(path)
            json = file.hasAttribute("config") ? try file.attribute("config").stringValue : nil
        } catch {
            throw .checkpoint(.unreadable(path: path, error))
        }
        return try json.map { json throws(TrainingError) in try from(json: json, source: path) }
    }
}
