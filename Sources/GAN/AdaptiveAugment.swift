/// Adaptive augmentation's probability (Karras et al. 2020, StyleGAN2-ADA):
/// every `interval` steps the overfitting signal r = E[sign(D(real))] over
/// those steps moves p by sign(r − target) × images / (kimg × 1000), within [0, 1].
public struct AdaptiveAugment: Sendable, Equatable {
    /// The probability each operation is applied with.
    public var probability: Double = 0
    /// Σ sign(D(real)) since the last adjustment.
    public var signSum: Double = 0
    /// Outputs counted in `signSum`.
    public var outputs: Double = 0
    /// Real images seen since the last adjustment.
    public var images: Double = 0
    /// Steps since the last adjustment.
    public var steps = 0
    /// The last adjustment's r (nil before the first).
    public var lastSignal: Double?

    /// A controller at p = 0.
    public init() {}

    /// Counts one step's signs (over `outputs` real outputs of `images` images); adjusts p every
    /// `recipe.adaInterval` steps.
    public mutating func record(signSum: Double, outputs: Double, images: Double, recipe: TrainingRecipe) {
        self.signSum += signSum
        self.outputs += outputs
        self.images += images
        steps += 1
        guard steps >= recipe.adaInterval, self.outputs > 0 else { return }
        let signal = self.signSum / self.outputs
        let direction: Double = signal > recipe.adaTarget ? 1 : signal < recipe.adaTarget ? -1 : 0
        probability = min(1, max(0, probability + direction * self.images / (recipe.adaKimg * 1000)))
        lastSignal = signal
        (self.signSum, self.outputs, self.images, steps) = (0, 0, 0, 0)
    }
}
