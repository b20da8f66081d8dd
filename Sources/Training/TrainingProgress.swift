import GAN

/// What the progress display shows.
public struct TrainingProgress: Sendable {
    /// Steps done.
    public var step: Int
    /// Steps the run will reach.
    public var totalSteps: Int
    /// The epoch (passes over the data completed).
    public var epoch: Int
    /// Batches done in the current epoch.
    public var batchInEpoch: Int
    /// Batches in an epoch.
    public var batchesPerEpoch: Int
    /// The last step's losses and accuracy.
    public var last: StepResult
    /// Speed over the last few seconds.
    public var imagesPerSecond: Double
    /// Whether the last step ended an epoch.
    public var epochEnded: Bool
}
