import GAN

/// What the progress display shows.
public struct TrainingProgress: Sendable {
    public var step: Int
    public var totalSteps: Int
    public var epoch: Int
    public var batchInEpoch: Int
    public var batchesPerEpoch: Int
    public var last: StepResult
    public var imagesPerSecond: Double
    public var epochEnded: Bool
}
