/// A line chart as data: a title, the x axis's label and series of (x, y)
/// points. `LinePlot` draws it to a PNG (losses.png, fid.png) and Report's
/// `SVGChart` to inline SVG; both lay out its axes with `ChartAxis`.
public struct Chart: Sendable {
    /// One line: its legend text, colour (RGB) and points in x order.
    public struct Series: Sendable {
        /// The legend's text.
        public var name: String
        /// The line's colour.
        public var color: (red: UInt8, green: UInt8, blue: UInt8)
        /// (x, y) points in x order; points that are not finite are left out.
        public var points: [(x: Double, y: Double)]
        /// Line width in pixels (the PNG renderer; SVG draws every line alike).
        public var thickness: Int

        /// A series; `thickness` matters to the PNG renderer only.
        public init(name: String, color: (UInt8, UInt8, UInt8), points: [(x: Double, y: Double)], thickness: Int = 2) {
            self.name = name
            self.color = color
            self.points = points
            self.thickness = thickness
        }

        /// The colour as CSS's "#rrggbb".
        public var hexColor: String {
            "#" + [color.red, color.green, color.blue].map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        }
    }

    /// The chart's title.
    public var title: String
    /// The x axis's label.
    public var xLabel: String
    /// The lines, drawn in order.
    public var series: [Series]
    /// Whether the y axis starts at 0 (losses) or fits the values (FID, KID).
    public var yFromZero: Bool

    /// A chart of `series`.
    public init(title: String, xLabel: String = "step", series: [Series], yFromZero: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.series = series
        self.yFromZero = yFromZero
    }

    /// The finite points of every series.
    public var finitePoints: [(x: Double, y: Double)] {
        series.flatMap(\.points).filter { $0.x.isFinite && $0.y.isFinite }
    }

    /// The x axis (steps: the values' own range, ticks inside it) with `intervals` ticks.
    public func xAxis(intervals: Int) -> ChartAxis {
        ChartAxis(values: finitePoints.map(\.x), intervals: intervals, roundEnds: false)
    }

    /// The y axis with `intervals` ticks, widened to round values around the points.
    public func yAxis(intervals: Int) -> ChartAxis {
        ChartAxis(values: finitePoints.map(\.y), intervals: intervals, fromZero: yFromZero)
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
