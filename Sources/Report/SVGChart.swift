import Foundation
import Training

/// Draws a `Chart` as inline SVG for the report: axes with round ticks
/// (`ChartAxis`), a legend, and a viewBox so that it scales with the page.
enum SVGChart {
    static func render(_ chart: Chart, width: Int = 720, height: Int = 300) -> String {
        guard !chart.finitePoints.isEmpty else { return "<p class=\"missing\">\(HTML.escape(chart.title)): no points.</p>" }
        let left = 60.0, right = 16.0, top = 36.0, bottom = 40.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        let xAxis = chart.xAxis(intervals: 5), yAxis = chart.yAxis(intervals: 4)
        func px(_ x: Double) -> Double { left + xAxis.fraction(x) * plotW }
        func py(_ y: Double) -> Double { top + (1 - yAxis.fraction(y)) * plotH }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTML.escape(chart.title))\">"
        svg += "<text x=\"\(left)\" y=\"20\" class=\"title\">\(HTML.escape(chart.title))</text>"
        for y in yAxis.ticks {
            let v = py(y)
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", left, v, left + plotW, v)
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%@</text>", left - 6, v + 4, ChartAxis.label(y))
        }
        for x in xAxis.ticks {
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%@</text>", px(x), top + plotH + 16, ChartAxis.label(x))
        }
        svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%@</text>", left + plotW / 2, top + plotH + 34,
                      HTML.escape(chart.xLabel))
        for (i, s) in chart.series.enumerated() {
            let points = s.points.filter { $0.y.isFinite && $0.x.isFinite }.map { String(format: "%.1f,%.1f", px($0.x), py($0.y)) }
            if !points.isEmpty {
                svg += "<polyline fill=\"none\" stroke=\"\(s.hexColor)\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"/>"
            }
            let lx = left + 8 + Double(i) * 170
            svg += String(format: "<rect x=\"%.1f\" y=\"26\" width=\"12\" height=\"4\" fill=\"%@\"/>", lx, s.hexColor)
            svg += String(format: "<text x=\"%.1f\" y=\"32\" class=\"legend\">%@</text>", lx + 16, HTML.escape(s.name))
        }
        return svg + "</svg>"
    }
}
