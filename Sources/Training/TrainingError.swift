import DatasetFile
import Storage

/// Why training (or evaluating, sampling, reporting on a run) cannot start or go on.
/// Each case carries a typed account that names the file or option and says what to do.
public enum TrainingError: Error, CustomStringConvertible, Sendable {
    /// What writing a file of the run was doing when it failed.
    public enum OutputAction: Sendable {
        /// Creating the file.
        case create
        /// Writing it.
        case write
        /// Writing a named kind of file ("checkpoint", "classifier").
        case writeNamed(String)
        /// Drawing a chart into it.
        case draw
        /// Encoding an image for it.
        case encode

        func text(_ path: String) -> String {
            switch self {
            case .create: return "cannot create \(path)"
            case .write: return "cannot write \(path)"
            case let .writeNamed(what): return "cannot write the \(what) \(path)"
            case .draw: return "cannot draw \(path)"
            case .encode: return "cannot encode \(path)"
            }
        }
    }

    /// The dataset file could not be read: DatasetFile's own error, naming the file and what is wrong.
    case datasetFile(DatasetError)
    /// The data cannot train (or be measured with) this configuration: no labels, one class, a model
    /// the image size does not fit, more memory than the machine has, NaN pixels in a batch.
    case dataset(DataProblem)
    /// A checkpoint that is not one, holds a configuration no model can have, or whose generator gives NaN.
    case checkpoint(CheckpointProblem)
    /// A file of the run could not be drawn or written: the library's own error as `cause`
    /// (a failed system call is `storage`).
    case output(path: String, action: OutputAction, cause: any Error)
    /// A resume that cannot continue: no loadable checkpoint, one of another configuration, or checkpoints
    /// where a fresh run would start.
    case resume(ResumeProblem)
    /// The losses became NaN or infinite, or the processes' weights drifted apart.
    case diverged(Divergence)
    /// A file could not be written (a full disk, another run holding the directory, ...).
    case storage(StorageError)
    /// A classifier file cannot be used.
    case classifier(ClassifierProblem)
    /// The metrics' linear algebra failed (LAPACK's account).
    case metrics(cause: any Error)
    /// A collective call between the processes of a data-parallel run failed (MPI's message).
    case replicas(String)
    /// SIGINT or SIGTERM stopped the run after `step`, which a checkpoint holds.
    case interrupted(signal: Int32, step: Int, checkpoint: String)

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .datasetFile(error): return error.description
        case let .dataset(problem): return problem.description
        case let .checkpoint(problem): return problem.description
        case let .output(path, action, cause): return "\(action.text(path)): \(cause)"
        case let .resume(problem): return problem.description
        case let .diverged(divergence): return divergence.description
        case let .storage(error): return error.description
        case let .classifier(problem): return problem.description
        case let .metrics(cause): return "the metrics could not be computed: \(cause)"
        case let .replicas(message): return "the processes of the run could not exchange their gradients: \(message)"
        case let .interrupted(signal, step, checkpoint):
            return "stopped by signal \(signal) after step \(step); \(checkpoint) holds it: run the same command with --resume to continue"
        }
    }
}

extension TrainingError: ClassifiedError {
    /// Data, checkpoints, a resume that does not match and classifiers are
    /// the user's input; writing, diverging, the metrics, the processes'
    /// exchange and a signal are not (the executable gives a signal its own status).
    public var isUsersFault: Bool {
        switch self {
        case .dataset, .datasetFile, .checkpoint, .resume, .classifier: return true
        case .output, .diverged, .metrics, .replicas, .interrupted: return false
        case let .storage(error): return error.isUsersFault
        }
    }
}
