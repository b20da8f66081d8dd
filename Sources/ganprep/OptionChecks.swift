import ArgumentParser

/// Range checks for numeric options: every value must be finite and one the
/// machine can honour, and the message gives the valid range.
enum OptionChecks {
    /// A finite number within `range`.
    static func number<T: BinaryFloatingPoint>(_ name: String, _ value: T, in range: ClosedRange<T>, unit: String = "") throws {
        guard value.isFinite, range.contains(value) else {
            let suffix = unit.isEmpty ? "" : " " + unit
            throw ValidationError("\(name) must be a number from \(describe(range.lowerBound)) to \(describe(range.upperBound))\(suffix), got \(value)")
        }
    }

    /// A finite number in `range` that excludes its lower bound.
    static func positive<T: BinaryFloatingPoint>(_ name: String, _ value: T, max: T) throws {
        guard value.isFinite, value > 0, value <= max else {
            throw ValidationError("\(name) must be a number above 0 and at most \(describe(max)), got \(value)")
        }
    }

    /// An integer within `range`.
    static func integer(_ name: String, _ value: Int, in range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw ValidationError("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound), got \(value)")
        }
    }

    /// An optional integer within `range` when given.
    static func integer(_ name: String, _ value: Int?, in range: ClosedRange<Int>) throws {
        if let value { try integer(name, value, in: range) }
    }

    private static func describe<T: BinaryFloatingPoint>(_ value: T) -> String {
        let d = Double(value)
        return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
    }
}
