import Foundation

/// A line chart as inline SVG: series of (step, value) points, axes with
/// round ticks, a legend; scales with the page (viewBox).
struct SVGChart {
    struct Series {
        var name: String
        var color: String
        var points: [(x: Double, y: Double)]
    }

    var title: String
    var xLabel: String
    var series: [Series]

    func render(width: Int = 720, height: Int = 300) -> String {
        let all = series.flatMap(\.points).filter { $0.y.isFinite }
        guard !all.isEmpty else { return "<p class=\"missing\">\(HTML.escape(title)): no points.</p>" }
        let left = 60.0, right = 16.0, top = 36.0, bottom = 40.0
        let plotW = Double(width) - left - right, plotH = Double(height) - top - bottom
        let xMin = all.map(\.x).min()!, xMax = max(all.map(\.x).max()!, xMin + 1)
        var yMin = all.map(\.y).min()!, yMax = all.map(\.y).max()!
        if yMax - yMin < 1e-9 { yMin -= 0.5; yMax += 0.5 }
        let yStep = Self.roundStep((yMax - yMin) / 4)
        yMin = (yMin / yStep).rounded(.down) * yStep
        yMax = (yMax / yStep).rounded(.up) * yStep
        func px(_ x: Double) -> Double { left + (x - xMin) / (xMax - xMin) * plotW }
        func py(_ y: Double) -> Double { top + (1 - (y - yMin) / (yMax - yMin)) * plotH }
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(HTML.escape(title))\">"
        svg += "<text x=\"\(left)\" y=\"20\" class=\"title\">\(HTML.escape(title))</text>"
        var y = yMin
        while y <= yMax + yStep / 2 {
            let v = py(y)
            svg += String(format: "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>", left, v, left + plotW, v)
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%@</text>", left - 6, v + 4, Self.label(y))
            y += yStep
        }
        let xStep = Self.roundStep((xMax - xMin) / 5)
        var x = (xMin / xStep).rounded(.up) * xStep
        while x <= xMax {
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%@</text>", px(x), top + plotH + 16, Self.label(x))
            x += xStep
        }
        svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%@</text>", left + plotW / 2, top + plotH + 34, HTML.escape(xLabel))
        for (i, s) in series.enumerated() {
            let points = s.points.filter { $0.y.isFinite }.map { String(format: "%.1f,%.1f", px($0.x), py($0.y)) }
            if !points.isEmpty {
                svg += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.5\" points=\"\(points.joined(separator: " "))\"/>"
            }
            let lx = left + 8 + Double(i) * 170
            svg += String(format: "<rect x=\"%.1f\" y=\"26\" width=\"12\" height=\"4\" fill=\"%@\"/>", lx, s.color)
            svg += String(format: "<text x=\"%.1f\" y=\"32\" class=\"legend\">%@</text>", lx + 16, HTML.escape(s.name))
        }
        return svg + "</svg>"
    }

    /// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
    static func roundStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, (log10(raw)).rounded(.down))
        for m in [1.0, 2, 2.5, 5, 10] where m * power >= raw { return m * power }
        return 10 * power
    }

    static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        return String(format: abs(v) < 0.01 ? "%.4f" : "%.2f", v)
    }
}
