/// Why `--resume` cannot continue a run (the payload of `TrainingError.resume`).
public enum ResumeProblem: Sendable, CustomStringConvertible {
    /// A checkpoint that could not be loaded, and why.
    public enum Attempt: Sendable, CustomStringConvertible {
        /// Its configuration could not be read.
        case configuration(CheckpointProblem)
        /// It has no run configuration.
        case noConfiguration(path: String)
        /// Its tensors could not be read.
        case tensors(path: String, cause: any Error)

        /// The failure in words, naming the checkpoint.
        public var description: String {
            switch self {
            case let .configuration(problem): return problem.description
            case let .noConfiguration(path): return "\(path): no run configuration"
            case let .tensors(path, cause): return "\(path): \(cause)"
            }
        }
    }

    /// A setting this run and a checkpoint do not share.
    public struct Mismatch: Sendable, CustomStringConvertible {
        /// The setting's name ("batch", "seed", ...).
        public let setting: String
        /// This run's value.
        public let run: String
        /// The checkpoint's value.
        public let checkpoint: String
        /// "batch 64 (checkpoint has 32)".
        public var description: String { "\(setting) \(run) (checkpoint has \(checkpoint))" }
    }

    /// A fresh run in a directory that holds checkpoints.
    case existingCheckpoints(directory: String)
    /// The newest readable checkpoint is of another configuration.
    case mismatch(checkpoint: String, [Mismatch])
    /// No checkpoint could be loaded; each one tried and why.
    case nothingToResume(directory: String, attempts: [Attempt])

    /// The problem in words, naming the directory or checkpoint.
    public var description: String {
        switch self {
        case let .existingCheckpoints(directory):
            return "\(directory) already holds checkpoints: pass --resume to continue that run, or choose another --out"
        case let .mismatch(checkpoint, mismatches):
            return "cannot resume from \(checkpoint): this run has " + mismatches.map(\.description).joined(separator: ", ")
        case let .nothingToResume(directory, attempts):
            return "nothing to resume in \(directory)" + (attempts.isEmpty ? "" : ": " + attempts.map(\.description).joined(separator: "; "))
        }
    }
}
