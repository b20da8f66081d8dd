import Foundation
import Imaging

/// Draws a `Chart` as a PNG with ganprep's own rasterizer (losses.png,
/// fid.png): the title, a legend on its own line, a grid of round values
/// and step labels along x.
public enum LinePlot {
    /// The chart as an RGB image of `width` x `height` pixels.
    public static func render(_ chart: Chart, width: Int = 900, height: Int = 460) -> DecodedImage {
        var canvas = Canvas(width: width, height: height)
        let left = 80, right = 36, top = 64, bottom = 50
        let plotW = width - left - right, plotH = height - top - bottom
        canvas.text(chart.title, x: left, y: 10, scale: 2)
        let yAxis = chart.yAxis(intervals: 4), xAxis = chart.xAxis(intervals: 4)
        func px(_ x: Double) -> Int { left + Int((Double(plotW) * xAxis.fraction(x)).rounded()) }
        func py(_ y: Double) -> Int { top + plotH - Int((Double(plotH) * Swift.max(0, Swift.min(1, yAxis.fraction(y.isFinite ? y : 0)))).rounded()) }
        for value in yAxis.ticks {
            let y = py(value)
            canvas.line(left, y, left + plotW, y, (225, 225, 225))
            let label = ChartAxis.label(value)
            canvas.text(label, x: left - 12 - BitmapFont.measure(label, scale: 2), y: y - 7, scale: 2)
        }
        for step in xAxis.ticks {
            let label = ChartAxis.label(step)
            canvas.text(label, x: px(step) - BitmapFont.measure(label, scale: 2) / 2, y: top + plotH + 12, scale: 2)
        }
        canvas.line(left, top, left, top + plotH, (60, 60, 60))
        canvas.line(left, top + plotH, left + plotW, top + plotH, (60, 60, 60))
        for s in chart.series {
            let color = (s.color.red, s.color.green, s.color.blue)
            var previous: (Int, Int)?
            for point in s.points where point.x.isFinite {
                let (x, y) = (px(point.x), py(point.y))
                if let p = previous { canvas.line(p.0, p.1, x, y, color, thickness: s.thickness) } else if s.points.count == 1 {
                    canvas.rect(x - 2, y - 2, 5, 5, color)
                }
                previous = (x, y)
            }
        }
        var lx = left
        for s in chart.series {
            canvas.rect(lx, 38, 18, 6, (s.color.red, s.color.green, s.color.blue))
            canvas.text(s.name, x: lx + 24, y: 34, scale: 2)
            lx += 24 + BitmapFont.measure(s.name, scale: 2) + 20
        }
        return DecodedImage(width: width, height: height, channels: 3, pixels: canvas.pixels)
    }
}
