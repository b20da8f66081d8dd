/// When a training run writes its step checkpoints.
///
/// - `--checkpoint-every N`: every N steps (on every replica: the replicas
///   compare their weights first).
/// - By default, at the end of an epoch, unless the last checkpoint is
///   younger than `costRatio` times what writing it took: checkpoints then
///   cost at most about 1% of the run, however short the epochs and large
///   the model (a dense GAN's 0.9 GB every 10-step epoch had cost a third
///   of it; a 75 MB DCGAN checkpoint at every 5-step epoch, 1.5%). A
///   data-parallel run keeps one at every epoch's end, which all replicas
///   reach together, so they stay in step for the comparison.
/// - By time, when `minutes` passed since the last one (this process's
///   clock: no collective call).
/// - Always at the last step, and on Ctrl-C / SIGTERM (the run's loop).
struct CheckpointPolicy {
    /// Training time per unit of checkpoint time a default run keeps at least:
    /// checkpoints take at most 1 / (1 + 99) = 1% of the run.
    static let costRatio = 99.0

    let everySteps: Int?
    let minutes: Double?
    let replicated: Bool
    /// When the last step checkpoint was written, and how long writing it took.
    private(set) var lastAt: Double
    private(set) var lastCost = 0.0

    /// What writing a checkpoint of `bytes` is assumed to take before one
    /// was timed: 1 GB/s, about what this machine's page cache takes.
    static func estimatedCost(bytes: Int) -> Double { Double(bytes) / 1e9 }

    /// - Parameter checkpointBytes: the size of a checkpoint, for the cost
    ///   of the first one (the run's start counts as the last checkpoint).
    init(everySteps: Int?, minutes: Double?, replicated: Bool, checkpointBytes: Int, now: Double) {
        self.everySteps = everySteps
        self.minutes = minutes
        self.replicated = replicated
        lastAt = now
        lastCost = Self.estimatedCost(bytes: checkpointBytes)
    }

    enum Decision: Equatable {
        case skip
        /// Every replica checkpoints here (they compare their weights first).
        case together
        /// This process's own decision (its clock): no collective call.
        case alone
    }

    func decide(step: Int, epochEnded: Bool, isLast: Bool, now: Double) -> Decision {
        if isLast { return .together }
        if let everySteps {
            if step % everySteps == 0 { return .together }
        } else if epochEnded {
            if replicated { return .together }
            if now - lastAt >= Self.costRatio * lastCost { return .alone }
        }
        if let minutes, now - lastAt >= minutes * 60 { return .alone }
        return .skip
    }

    /// A checkpoint that started at `started` was written by `now`.
    mutating func wrote(started: Double, now: Double) {
        lastAt = now
        lastCost = now - started
    }
}
