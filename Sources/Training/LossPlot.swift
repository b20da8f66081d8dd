import Foundation
import Imaging

/// Draws the loss curves (moving averages) of a run as a PNG, with axes,
/// tick labels and a legend.
public enum LossPlot {
    /// losses.png: each loss and D's accuracy, moving averages over about 1% of the run.
    public static func render(_ records: [LossRecord], width: Int = 900, height: Int = 460) -> DecodedImage {
        let series: [(String, (UInt8, UInt8, UInt8), (LossRecord) -> Float)] = [
            ("D loss real", (31, 119, 180), { $0.discriminatorLossReal }),
            ("D loss fake", (255, 127, 14), { $0.discriminatorLossFake }),
            ("G loss", (44, 160, 44), { $0.generatorLoss }),
            ("D accuracy", (150, 150, 150), { $0.discriminatorAccuracy }),
        ]
        // Moving averages over about 1% of the run keep the curves readable.
        let window = max(1, records.count / 100)
        func smoothed(_ value: (LossRecord) -> Float) -> [(x: Double, y: Double)] {
            var out: [(x: Double, y: Double)] = []
            var sum: Float = 0
            for (i, r) in records.enumerated() {
                let v = value(r).isFinite ? value(r) : 0
                sum += v
                if i >= window { sum -= value(records[i - window]).isFinite ? value(records[i - window]) : 0 }
                out.append((Double(r.step), Double(sum / Float(min(i + 1, window)))))
            }
            return out
        }
        // The PNG's y axis starts at 0, with room above the highest value.
        let chart = Chart(title: "LOSSES BY STEP", series: series.enumerated().map { k, s in
            Chart.Series(name: s.0, color: s.1, points: smoothed(s.2), thickness: k == 3 ? 1 : 2)
        }, yFromZero: true)
        return LinePlot.render(chart, width: width, height: height)
    }
}
