import Foundation
import Imaging

/// A line chart with a title, a legend, a grid of round values and step
/// labels, drawn with ganprep's own rasterizer (losses.png, fid.png).
enum LinePlot {
    struct Series {
        var name: String
        var color: (UInt8, UInt8, UInt8)
        /// (step, value) points in step order.
        var points: [(step: Int, value: Float)]
        var thickness = 2
    }

    static func render(title: String, series: [Series], width: Int = 900, height: Int = 460) -> DecodedImage {
        var canvas = Canvas(width: width, height: height)
        let left = 80, right = 36, top = 64, bottom = 50
        let plotW = width - left - right, plotH = height - top - bottom
        canvas.text(title, x: left, y: 10, scale: 2)
        // Four grid intervals of a round size (0.25, 0.5, 1, 2, 2.5, 5, ...).
        let values = series.flatMap { $0.points.map(\.value) }.filter(\.isFinite)
        let highest = Double(max(values.max() ?? 1, 0.1)) * 1.05
        let raw = highest / 4
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let interval = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let maxY = Float(interval * 4)
        let allSteps = series.flatMap { $0.points.map(\.step) }
        let steps = (allSteps.min() ?? 0, allSteps.max() ?? 1)
        let spanX = max(1, steps.1 - steps.0)
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
        for s in series {
            var previous: (Int, Int)?
            for point in s.points {
                let v = point.value.isFinite ? point.value : 0
                let x = left + Int(Double(plotW) * Double(point.step - steps.0) / Double(spanX))
                let y = top + plotH - Int(Double(plotH) * Double(min(v, maxY)) / Double(maxY))
                if let p = previous { canvas.line(p.0, p.1, x, y, s.color, thickness: s.thickness) } else if s.points.count == 1 {
                    canvas.rect(x - 2, y - 2, 5, 5, s.color)
                }
                previous = (x, y)
            }
        }
        // Legend, on its own line under the title.
        var lx = left
        for s in series {
            canvas.rect(lx, 38, 18, 6, s.color)
            canvas.text(s.name, x: lx + 24, y: 34, scale: 2)
            lx += 24 + BitmapFont.measure(s.name, scale: 2) + 20
        }
        return DecodedImage(width: width, height: height, channels: 3, pixels: canvas.pixels)
    }
}
