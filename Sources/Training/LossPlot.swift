import Foundation
import Imaging

/// Draws the loss curves (moving averages) of a run as a PNG, with axes,
/// tick labels and a legend, using ganprep's own rasterizer.
public enum LossPlot {
    public static func render(_ records: [LossRecord], width: Int = 900, height: Int = 460) -> DecodedImage {
        var canvas = Canvas(width: width, height: height)
        let left = 80, right = 20, top = 64, bottom = 50
        let plotW = width - left - right, plotH = height - top - bottom
        let series: [(String, (UInt8, UInt8, UInt8), (LossRecord) -> Float)] = [
            ("D loss real", (31, 119, 180), { $0.discriminatorLossReal }),
            ("D loss fake", (255, 127, 14), { $0.discriminatorLossFake }),
            ("G loss", (44, 160, 44), { $0.generatorLoss }),
            ("D accuracy", (150, 150, 150), { $0.discriminatorAccuracy }),
        ]
        canvas.text("LOSSES BY STEP", x: left, y: 10, scale: 2)
        // Moving averages over about 1% of the run keep the curves readable.
        let window = max(1, records.count / 100)
        func smoothed(_ value: (LossRecord) -> Float) -> [Float] {
            var out: [Float] = []
            var sum: Float = 0
            for (i, r) in records.enumerated() {
                let v = value(r).isFinite ? value(r) : 0
                sum += v
                if i >= window { sum -= value(records[i - window]).isFinite ? value(records[i - window]) : 0 }
                out.append(sum / Float(min(i + 1, window)))
            }
            return out
        }
        let curves = series.map { smoothed($0.2) }
        // Four grid intervals of a round size (0.25, 0.5, 1, 2, 2.5, 5, ...).
        let highest = Double(max(curves.flatMap { $0 }.max() ?? 1, 0.1)) * 1.05
        let raw = highest / 4
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let interval = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let maxY = Float(interval * 4)
        let steps = (records.first?.step ?? 0, records.last?.step ?? 1)
        let spanX = max(1, steps.1 - steps.0)
        // Grid and axes.
        for t in 0...4 {
            let y = top + plotH - plotH * t / 4
            canvas.line(left, y, left + plotW, y, (225, 225, 225))
            let value = Double(maxY) * Double(t) / 4
            let label = value.rounded() == value ? String(format: "%.0f", value) : String(format: value * 4 == (value * 4).rounded() ? "%.2f" : "%.1f", value)
            canvas.text(label, x: left - 12 - BitmapFont.measure(label, scale: 2), y: y - 7, scale: 2)
            let x = left + plotW * t / 4
            let stepLabel = "\(steps.0 + spanX * t / 4)"
            canvas.text(stepLabel, x: x - BitmapFont.measure(stepLabel, scale: 2) / 2, y: top + plotH + 12, scale: 2)
        }
        canvas.line(left, top, left, top + plotH, (60, 60, 60))
        canvas.line(left, top + plotH, left + plotW, top + plotH, (60, 60, 60))
        for (k, curve) in curves.enumerated() where !curve.isEmpty {
            var previous: (Int, Int)?
            for (i, v) in curve.enumerated() {
                let x = left + Int(Double(plotW) * Double(records[i].step - steps.0) / Double(spanX))
                let y = top + plotH - Int(Double(plotH) * Double(min(v, maxY)) / Double(maxY))
                if let p = previous { canvas.line(p.0, p.1, x, y, series[k].1, thickness: k == 3 ? 1 : 2) }
                previous = (x, y)
            }
        }
        // Legend, on its own line under the title.
        var lx = left
        for (name, color, _) in series {
            canvas.rect(lx, 38, 18, 6, color)
            canvas.text(name, x: lx + 24, y: 34, scale: 2)
            lx += 24 + BitmapFont.measure(name, scale: 2) + 20
        }
        return DecodedImage(width: width, height: height, channels: 3, pixels: canvas.pixels)
    }
}
