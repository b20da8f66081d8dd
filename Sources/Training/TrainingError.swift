import DatasetFile
import Storage

/// Why training (or evaluating, sampling, reporting on a run) cannot start or go on.
/// Each message names the file or option and says what to do.
public enum TrainingError: Error, CustomStringConvertible, Sendable {
    /// The dataset file could not be read: DatasetFile's own error, naming the file and what is wrong.
    case datasetFile(DatasetError)
    /// The data cannot train (or be measured with) this configuration: no labels, one class, a model
    /// the image size does not fit, more memory than the machine has, NaN pixels in a batch.
    case dataset(String)
    /// A checkpoint that is not one, holds a configuration no model can have, or whose generator gives NaN.
    case checkpoint(String)
    /// A file of the run could not be drawn or written (other than a failed system call: `storage`).
    case output(String)
    /// A resume that cannot continue: no loadable checkpoint, one of another configuration, or checkpoints
    /// where a fresh run would start.
    case resume(String)
    /// The losses became NaN or infinite, or the processes' weights drifted apart.
    case diverged(String)
    /// A file could not be written (a full disk, another run holding the directory, ...).
    case storage(StorageError)
    /// A classifier file cannot be used, or a dataset cannot train one.
    case classifier(String)
    /// A collective call between the processes of a data-parallel run failed (MPI's message).
    case replicas(String)
    /// SIGINT or SIGTERM stopped the run after `step`, which a checkpoint holds.
    case interrupted(signal: Int32, step: Int, checkpoint: String)

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .dataset(message), let .checkpoint(message), let .output(message), let .resume(message), let .diverged(message),
             let .classifier(message):
            return message
        case let .storage(error): return error.description
        case let .datasetFile(error): return error.description
        case let .replicas(message): return "the processes of the run could not exchange their gradients: \(message)" 
        case let .interrupted(signal, step, checkpoint):
            return "stopped by signal \(signal) after step \(step); \(checkpoint) holds it: run the same command with --resume to continue"
        }
    }
}

extension TrainingError: ClassifiedError {
    /// Data, checkpoints, a resume that does not match and classifiers are
    /// the user's input; writing, diverging, the processes' exchange and a
    /// signal are not (the executable gives a signal its own status).
    public var isUsersFault: Bool {
        switch self {
        case .dataset, .datasetFile, .checkpoint, .resume, .classifier: return true
        case .output, .diverged, .replicas, .interrupted: return false
        case let .storage(error): return error.isUsersFault
        }
    }
}
