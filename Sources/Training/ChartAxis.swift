import Foundation

/// One axis of a line chart, shared by the PNG plots (`LinePlot`) and the
/// report's SVG charts (`SVGChart`): the range drawn and its round ticks
/// (1, 2, 2.5 or 5 times a power of ten).
///
/// Any finite values give an axis in bounded time: a range that spans the
/// whole double range (-1e308 to 1e308) is computed in halves so that it
/// never overflows, a flat series gets a margin relative to its size (a
/// margin of 0.5 does not change 1e17), and ticks are made by index, at
/// most `maxTicks`, so that a step too small to change a value ends the
/// list instead of looping forever.
public struct ChartAxis: Equatable, Sendable {
    /// The range drawn: `low` at one end of the axis, `high` at the other.
    public let low: Double
    /// The value at the far end of the axis.
    public let high: Double
    /// Round values within [low, high], ascending, at most `maxTicks`.
    public let ticks: [Double]

    /// Ticks at most, whatever the values.
    public static let maxTicks = 12

    /// An axis over the finite ones of `values` (0...1 when there are none),
    /// with about `intervals` tick intervals; `fromZero` keeps 0 in range,
    /// `roundEnds` widens the range to the ticks around it.
    public init(values: [Double], intervals: Int, fromZero: Bool = false, roundEnds: Bool = true) {
        let finite = values.filter(\.isFinite)
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if fromZero { lo = Swift.min(lo, 0); hi = Swift.max(hi, 0) }
        if !(hi - lo > Swift.max(abs(lo), abs(hi)) * 1e-12) {
            let pad = Swift.max(Swift.max(abs(lo), abs(hi)) * 0.05, 0.5)
            (lo, hi) = (Self.clamp(lo - pad), Self.clamp(hi + pad))
        }
        let count = Double(Swift.max(1, intervals))
        let step = Self.roundStep(hi / count - lo / count)
        if roundEnds {
            lo = Self.clamp((lo / step).rounded(.down) * step)
            hi = Self.clamp((hi / step).rounded(.up) * step)
        }
        low = lo
        high = hi
        var ticks: [Double] = []
        var first = Self.clamp((lo / step).rounded(.up) * step)
        // lo / step may round to 0 (lo subnormal beside a huge step): the first tick must still be in range.
        if first < lo { first += step }
        for _ in 0..<Self.maxTicks {
            let t = ticks.last.map { $0 + step } ?? first
            // A step below the values' precision would repeat a tick: stop there.
            guard t.isFinite, t <= hi, t != ticks.last else { break }
            ticks.append(t)
        }
        self.ticks = ticks
    }

    /// Where `value` lies on the axis: 0 at `low`, 1 at `high` (computed in halves: no overflow).
    public func fraction(_ value: Double) -> Double {
        let span = high / 2 - low / 2
        guard span > 0, value.isFinite else { return 0 }
        return Swift.min(Swift.max((value / 2 - low / 2) / span, -1), 2)
    }

    /// 1, 2, 2.5 or 5 times a power of ten, at least `raw` (1 for no usable `raw`).
    static func roundStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, log10(raw).rounded(.down))
        for m in [1.0, 2, 2.5, 5, 10] where m * power >= raw && (m * power).isFinite { return m * power }
        return raw
    }

    /// A tick's text: an integer below a billion as such, else two decimals, four below 0.01, or three significant digits.
    public static func label(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        if abs(v) >= 1e9 || (abs(v) < 1e-4 && v != 0) { return String(format: "%.3g", v) }
        return String(format: abs(v) < 0.01 ? "%.4f" : "%.2f", v)
    }

    private static func clamp(_ v: Double) -> Double {
        Swift.min(Swift.max(v, -Double.greatestFiniteMagnitude), Double.greatestFiniteMagnitude)
    }
}
