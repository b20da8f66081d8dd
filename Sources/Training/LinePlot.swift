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
        // Round grid values from 0 up (ChartAxis: the same ticks as the report's charts), steps along x.
        let values = series.flatMap { $0.points.map { Double($0.value) } }.filter(\.isFinite)
        let yAxis = ChartAxis(values: values.isEmpty ? [1] : values.map { $0 * 1.05 }, intervals: 4, fromZero: true)
        let xAxis = ChartAxis(values: series.flatMap { $0.points.map { Double($0.step) } }, intervals: 4, roundEnds: false)
        func px(_ step: Int) -> Int { left + Int((Double(plotW) * xAxis.fraction(Double(step))).rounded()) }
        func py(_ value: Float) -> Int {
            top + plotH - Int((Double(plotH) * Swift.max(0, Swift.min(1, yAxis.fraction(Double(value.isFinite ? value : 0))))).rounded())
        }
        for value in yAxis.ticks {
            let y = py(Float(value))
            canvas.line(left, y, left + plotW, y, (225, 225, 225))
            let label = ChartAxis.label(value)
            canvas.text(label, x: left - 12 - BitmapFont.measure(label, scale: 2), y: y - 7, scale: 2)
        }
        for step in xAxis.ticks {
            let label = ChartAxis.label(step)
            canvas.text(label, x: left + Int(Double(plotW) * xAxis.fraction(step)) - BitmapFont.measure(label, scale: 2) / 2, y: top + plotH + 12, scale: 2)
        }
        canvas.line(left, top, left, top + plotH, (60, 60, 60))
        canvas.line(left, top + plotH, left + plotW, top + plotH, (60, 60, 60))
        for s in series {
            var previous: (Int, Int)?
            for point in s.points {
                let (x, y) = (px(point.step), py(point.value))
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
