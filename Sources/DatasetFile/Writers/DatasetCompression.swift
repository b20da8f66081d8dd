/// How `/images` is compressed: not at all, or gzip (deflate, with HDF5's
/// shuffle filter) at a level from 1 to 9. Written `none`, `gzip` (level 4)
/// or `gzip:LEVEL` on the command line.
public enum DatasetCompression: Sendable, Hashable, CustomStringConvertible {
    case none
    case gzip(level: Int)

    /// The level `gzip` alone means.
    public static let defaultGzipLevel = 4

    /// Every spelling the parser accepts, for help texts.
    public static let allSpellings = ["none", "gzip"] + (1...9).map { "gzip:\($0)" }

    /// Parses a spelling of `allSpellings`; nil for anything else.
    public init?(parsing text: String) {
        if text == "none" {
            self = .none
        } else if text == "gzip" {
            self = .gzip(level: Self.defaultGzipLevel)
        } else if text.hasPrefix("gzip:"), let level = Int(text.dropFirst(5)), (1...9).contains(level), text.count == 6 {
            self = .gzip(level: level)
        } else {
            return nil
        }
    }

    /// The deflate level for HDF5, nil when uncompressed.
    public var gzipLevel: Int? {
        if case let .gzip(level) = self { return level }
        return nil
    }

    /// "none", or "gzip:LEVEL".
    public var description: String {
        switch self {
        case .none: return "none"
        case let .gzip(level): return "gzip:\(level)"
        }
    }
}
