import Training
import DatasetFile
import Foundation
import GAN
import HDF5
import Support

/// A trained classifier on disk: its tensors (TensorStore's layout) and, as
/// root attributes, what it was trained on — `format` "ganprep-classifier",
/// `height`, `width`, `channels`, `classes`, `feature_size`, `label_names`,
/// `held_out_accuracy`, `dataset`, `seed`.
public struct ClassifierFile {
    /// The network with its weights.
    public let model: ClassifierModel
    /// The classes it tells apart, in logit order.
    public let labelNames: [String]
    /// Accuracy on the held-out images when it was trained (NaN when unknown).
    public let heldOutAccuracy: Double
    /// The file.
    public let path: String

    /// The `format` attribute of a classifier file.
    public static let formatName = "ganprep-classifier"

    /// A classifier to save at `path`.
    public init(model: ClassifierModel, labelNames: [String], heldOutAccuracy: Double, path: String) {
        self.model = model
        self.labelNames = labelNames
        self.heldOutAccuracy = heldOutAccuracy
        self.path = path
    }

    /// Writes the classifier to `path` through a temporary name.
    public func save(dataset: String, seed: UInt64) throws(TrainingError) {
        if let bad = model.tensors.first(where: { NonFinite.first(in: $0.tensor.data, count: $0.tensor.count) != nil }) {
            throw .diverged(.classifierWeights(path: path, tensor: bad.name))
        }
        let shape = model.imageShape
        let attributes: [String: HDF5AttributeValue] = [
            "format": .string(Self.formatName),
            "height": .integers([Int64(shape[0])]), "width": .integers([Int64(shape[1])]), "channels": .integers([Int64(shape[2])]),
            "classes": .integers([Int64(model.classes)]), "feature_size": .integers([Int64(model.featureSize)]),
            "label_names": .strings(labelNames), "held_out_accuracy": .doubles([heldOutAccuracy]),
            "dataset": .string(dataset), "seed": .integers([Int64(bitPattern: seed)]),
        ]
        try TensorStore.saveReplacing(model.tensors, attributes: attributes, to: path, temporary: "\(path).\(getpid()).partial",
                                      what: "classifier")
    }

    /// Reads a classifier written by `save`, checking what it declares before building it.
    public static func load(_ path: String) throws(TrainingError) -> ClassifierFile {
        do {
            let file = try HDF5File.open(path)
            guard file.hasAttribute("format"), try file.attribute("format").stringValue == formatName else {
                throw TrainingError.classifier(.notAClassifier(path: path, format: formatName))
            }
            func integer(_ name: String, _ range: ClosedRange<Int>) throws -> Int {
                guard file.hasAttribute(name), let value = try file.attribute(name).intValue, range.contains(value) else {
                    throw TrainingError.classifier(.attribute(path: path, name: name, range: range))
                }
                return value
            }
            let height = try integer("height", 4...8192), width = try integer("width", 4...8192)
            let channels = try integer("channels", 1...3), classes = try integer("classes", 2...100_000)
            let featureSize = try integer("feature_size", 1...65_536)
            guard channels != 2 else { throw TrainingError.classifier(.twoChannels(path: path)) }
            guard case let .strings(names)? = try? file.attribute("label_names"), names.count == classes else {
                throw TrainingError.classifier(.labelNamesCount(path: path, classes: classes))
            }
            if let problem = ClassNames.problem(names) { throw TrainingError.classifier(.classNames(path: path, problem)) }
            let accuracy = (try? file.attribute("held_out_accuracy").doublesValue?.first) ?? nil
            let model = ClassifierModel(height: height, width: width, channels: channels, classes: classes, featureSize: featureSize)
            try TensorStore.load(model.tensors, from: path)
            if let bad = model.tensors.first(where: { NonFinite.first(in: $0.tensor.data, count: $0.tensor.count) != nil }) {
                throw TrainingError.classifier(.nonFiniteWeights(path: path, tensor: bad.name))
            }
            return ClassifierFile(model: model, labelNames: names, heldOutAccuracy: accuracy ?? .nan, path: path)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw .classifier(.unreadable(path: path, cause: error))
        }
    }
}
