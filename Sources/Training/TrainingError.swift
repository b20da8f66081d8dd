import Storage

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
    /// A classifier file cannot be used, or a dataset cannot train one.
    case classifier(String)
    /// A collective call between the processes of a data-parallel run failed (MPI's message).
    case replicas(String)
    /// SIGINT or SIGTERM stopped the run after `step`, which a checkpoint holds.
    case interrupted(signal: Int32, step: Int, checkpoint: String)

    public var description: String {
        switch self {
        case let .dataset(message), let .checkpoint(message), let .output(message), let .resume(message), let .diverged(message),
             let .classifier(message):
            return message
        case let .storage(error): return error.description
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
        case .dataset, .checkpoint, .resume, .classifier: return true
        case .output, .diverged, .replicas, .interrupted: return false
        case let .storage(error): return error.isUsersFault
        }
    }
}
