/// How a run's numbers went wrong (the payload of `TrainingError.diverged`).
public enum Divergence: Sendable, CustomStringConvertible {
    /// The step's losses (D real, D fake, G) are not all finite.
    case losses(step: Int, [Float])
    /// The processes' weights differ after `step` (each one's SHA-256).
    case replicasDiffer(step: Int, digests: [String])
    /// A classifier's weights became NaN or infinite in training; `path` was not written.
    case classifierWeights(path: String, tensor: String)

    /// What went wrong and what to do.
    public var description: String {
        switch self {
        case let .losses(step, losses):
            return "step \(step): the losses became \(losses.map { "\($0)" }.joined(separator: ", ")) (D real, D fake, G); "
                + "training stopped without writing that step. Resume from the last checkpoint with a lower --lr, or a smaller --batch"
        case let .replicasDiffer(step, digests):
            return "step \(step): the \(digests.count) processes' weights differ (SHA-256 \(digests.map { String($0.prefix(12)) }.joined(separator: ", "))); "
                + "the run stopped before writing a checkpoint"
        case let .classifierWeights(path, tensor):
            return "the classifier's weights \(tensor) became NaN or infinite in training; \(path) was not written (try a lower --lr)"
        }
    }
}
