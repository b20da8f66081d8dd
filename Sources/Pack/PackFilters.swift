import Foundation
import Support

/// Which images `pack` leaves out besides those it cannot decode: each
/// filter is off when nil.
public struct PackFilters: Sendable, Equatable {
    /// Images whose source's shorter side is below this many pixels (before any resizing).
    public var minSize: Int?
    /// Images whose source's longer side over its shorter side is above this.
    public var maxAspect: Double?
    /// Near-blank images: the standard deviation of the normalized pixels ([-1, 1]) below this.
    public var minStd: Double?
    /// Duplicate removal.
    public var dedup: Dedup?

    /// Filters; nil leaves that one off.
    public init(minSize: Int? = nil, maxAspect: Double? = nil, minStd: Double? = nil, dedup: Dedup? = nil) {
        self.minSize = minSize
        self.maxAspect = maxAspect
        self.minStd = minStd
        self.dedup = dedup
    }

    /// Why a source of `width` x `height` is left out before decoding, if it is.
    func refusal(width: Int, height: Int) -> (reason: DropReason, detail: String)? {
        let shorter = min(width, height), longer = max(width, height)
        if let minSize, shorter < minSize {
            return (.tooSmall, "\(width)x\(height): shorter side \(shorter) px < --min-size \(minSize)")
        }
        if let maxAspect, shorter > 0, Double(longer) / Double(shorter) > maxAspect {
            return (.aspect, "\(width)x\(height): aspect " + String(format: "%.3f", Double(longer) / Double(shorter)) + " > --max-aspect \(maxAspect)")
        }
        return nil
    }

    /// The standard deviation of a sample's values.
    static func standardDeviation(_ values: UnsafeBufferPointer<Float>) -> Double {
        var sum = 0.0, squares = 0.0
        for v in values { sum += Double(v); squares += Double(v) * Double(v) }
        let n = Double(values.count)
        return (max(0, squares / n - (sum / n) * (sum / n))).squareRoot()
    }
}

/// Duplicate removal in `pack`.
public enum Dedup: Sendable, Equatable, CustomStringConvertible {
    /// Images with the same bytes (SHA-256) as an earlier kept one.
    case exact
    /// Those, and images whose perceptual hash is within `bits` of an earlier kept one's.
    case near(bits: Int)

    /// The Hamming radius of `near` unless told.
    public static let defaultBits = 6

    /// "exact", "near" or "near:BITS" (0 to `HammingIndex.maxRadius`).
    public init?(parsing text: String) {
        if text == "exact" { self = .exact; return }
        if text == "near" { self = .near(bits: Self.defaultBits); return }
        guard text.hasPrefix("near:"), let bits = Int(text.dropFirst(5)), (0...HammingIndex.maxRadius).contains(bits) else { return nil }
        self = .near(bits: bits)
    }

    /// The option's spelling ("exact", "near:BITS").
    public var description: String {
        switch self {
        case .exact: return "exact"
        case let .near(bits): return "near:\(bits)"
        }
    }
}

/// Why an input image is not in the dataset: the pack manifest's `dropped` values.
public enum DropReason: String, Sendable, CaseIterable, Codable {
    /// Left out by the input scan (a fetch manifest's duplicate, an unsafe path).
    case input
    case decodeError = "decode error"
    case tooSmall = "too small"
    case aspect
    case blank
    case duplicate
    case nearDuplicate = "near-duplicate"
}

/// An input image pack left out: its name, why (`reason`), the class a
/// summary counts it under (`kind`: the decoder's error class for a decode
/// error, such as "truncated", else the reason's or the scan's), and the
/// message `pack` prints for it.
public struct SkippedImage: Sendable, Equatable {
    /// The input's name (a file's, or "record N").
    public var name: String
    /// Why it was left out.
    public var reason: DropReason
    /// The class a summary counts it under.
    public var kind: String
    /// What `pack` prints for it.
    public var message: String

    /// A skipped image.
    public init(name: String, reason: DropReason, kind: String, message: String) {
        self.name = name
        self.reason = reason
        self.kind = kind
        self.message = message
    }
}
