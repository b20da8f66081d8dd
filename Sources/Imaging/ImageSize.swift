/// A target image size in pixels, written `64` (square) or `128x96`
/// (width x height) on the command line and in file names.
public struct ImageSize: Sendable, Hashable, CustomStringConvertible {
    /// Pixels across.
    public let width: Int
    /// Pixels down.
    public let height: Int

    /// Sides up to 8192 pixels: one 8192x8192x3 float image is 768 MiB.
    public static let maxSide = 8192

    /// A size of `width` x `height` (both positive).
    public init(width: Int, height: Int) {
        precondition((1...Self.maxSide).contains(width) && (1...Self.maxSide).contains(height),
                     "image sides are 1 to \(Self.maxSide) pixels, got \(width)x\(height)")
        self.width = width
        self.height = height
    }

    /// A square size.
    public init(_ side: Int) { self.init(width: side, height: side) }

    /// Why a size text is refused.
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        /// What was wrong with the value.
        public let description: String
    }

    /// Parses `N` or `WIDTHxHEIGHT` (x or X); empty parts are refused ("64x" is not 64).
    public init(parsing text: String) throws(ParseError) {
        let parts = text.lowercased().split(separator: "x", omittingEmptySubsequences: false)
            .map { part in part.allSatisfy { $0.isASCII && $0.isNumber } ? Int(part) : nil }
        let sides: (Int, Int)
        if parts.count == 1, let side = parts[0] {
            sides = (side, side)
        } else if parts.count == 2, let w = parts[0], let h = parts[1] {
            sides = (w, h)
        } else {
            throw ParseError(description: "must be N or WIDTHxHEIGHT (e.g. 64 or 128x96), got \(text)")
        }
        guard (1...Self.maxSide).contains(sides.0), (1...Self.maxSide).contains(sides.1) else {
            throw ParseError(description: "sides must be from 1 to \(Self.maxSide) pixels, got \(text)")
        }
        self.init(width: sides.0, height: sides.1)
    }

    /// `64` for a square, else `128x96`.
    public var description: String { width == height ? "\(width)" : "\(width)x\(height)" }
}
