import DatasetFile

/// Why a classifier file cannot be used (the payload of `TrainingError.classifier`).
public enum ClassifierProblem: Sendable, CustomStringConvertible {
    /// The file lacks the classifier's `format` attribute.
    case notAClassifier(path: String, format: String)
    /// An integer attribute missing or outside its range.
    case attribute(path: String, name: String, range: ClosedRange<Int>)
    /// Two channels (gray + alpha), which no dataset has.
    case twoChannels(path: String)
    /// `label_names` that do not name its classes.
    case labelNamesCount(path: String, classes: Int)
    /// `label_names` that break the rule of `ClassNames`.
    case classNames(path: String, ClassNamesProblem)
    /// Weights holding NaN or infinite values.
    case nonFiniteWeights(path: String, tensor: String)
    /// libhdf5 cannot read the file (its error).
    case unreadable(path: String, cause: any Error)
    /// Trained on images of another shape than the dataset's.
    case imageShape(path: String, trained: [Int], dataset: String, height: Int, width: Int, channels: Int)

    /// The problem in words, naming the file.
    public var description: String {
        switch self {
        case let .notAClassifier(path, format): return "\(path) is not a ganprep classifier (no format \"\(format)\")"
        case let .attribute(path, name, range): return "\(path): attribute \(name) is missing or outside \(range)"
        case let .twoChannels(path): return "\(path): 2 channels"
        case let .labelNamesCount(path, classes): return "\(path): label_names do not name its \(classes) classes"
        case let .classNames(path, problem): return "\(path): label_names: \(problem)"
        case let .nonFiniteWeights(path, tensor): return "\(path): weights \(tensor) hold NaN or infinite values; train the classifier again"
        case let .unreadable(path, cause): return "\(path): \(cause)"
        case let .imageShape(path, trained, dataset, height, width, channels):
            return "\(path) was trained on \(trained.map(String.init).joined(separator: "x")) images, \(dataset) holds \(height)x\(width)x\(channels)"
        }
    }
}
