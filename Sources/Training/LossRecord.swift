import Foundation
import Imaging

/// One row of `losses.csv`.
public struct LossRecord: Sendable, Equatable {
    /// The step, from 1.
    public var step: Int
    /// Its epoch, from 0.
    public var epoch: Int
    /// D's loss on the real batch.
    public var discriminatorLossReal: Float
    /// D's loss on the generated batch.
    public var discriminatorLossFake: Float
    /// G's loss through the frozen D.
    public var generatorLoss: Float
    /// D's accuracy on the two batches.
    public var discriminatorAccuracy: Float
    /// Training seconds since the run's first start.
    public var seconds: Double
    /// Adaptive augmentation's probability p after the step (0 without it).
    public var augmentProbability: Float = 0

    /// losses.csv's first line.
    public static let csvHeader = "step,epoch,d_loss_real,d_loss_fake,g_loss,d_accuracy,seconds,augment_p"

    /// The record as a line of losses.csv.
    public var csvLine: String {
        "\(step),\(epoch),\(discriminatorLossReal),\(discriminatorLossFake),\(generatorLoss),\(discriminatorAccuracy),"
            + String(format: "%.3f", seconds) + ",\(augmentProbability)"
    }

    /// Parses a line of `losses.csv` (runs before augmentation wrote 7 columns, without p); nil for the header or a torn line.
    public init?(csvLine: Substring) {
        let f = csvLine.split(separator: ",")
        guard f.count == 7 || f.count == 8, let step = Int(f[0]), let epoch = Int(f[1]), let a = Float(f[2]), let b = Float(f[3]),
              let c = Float(f[4]), let d = Float(f[5]), let s = Double(f[6]) else { return nil }
        self.init(step: step, epoch: epoch, discriminatorLossReal: a, discriminatorLossFake: b, generatorLoss: c,
                  discriminatorAccuracy: d, seconds: s)
        if f.count == 8 {
            guard let p = Float(f[7]) else { return nil }
            augmentProbability = p
        }
    }

    /// A step's record.
    public init(step: Int, epoch: Int, discriminatorLossReal: Float, discriminatorLossFake: Float, generatorLoss: Float,
                discriminatorAccuracy: Float, seconds: Double) {
        self.step = step
        self.epoch = epoch
        self.discriminatorLossReal = discriminatorLossReal
        self.discriminatorLossFake = discriminatorLossFake
        self.generatorLoss = generatorLoss
        self.discriminatorAccuracy = discriminatorAccuracy
        self.seconds = seconds
    }
}
