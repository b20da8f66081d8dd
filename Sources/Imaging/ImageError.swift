import Support

/// Why an image could not be decoded. Each case carries the sizes involved,
/// or the C decoder's own words (libpng's, libjpeg's); callers add the file or record name.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a format ganprep decodes: a format this build has no decoder for, or nil for unknown bytes.
    case unsupportedFormat(found: ImageFormat?)
    /// The header declares more pixels than the limit; nothing was allocated.
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// The data is corrupt or not decodable (the C decoder's message).
    case corrupt(String)
    /// The data ends early (strict mode treats decoder warnings as this; the C decoder's message).
    case truncated(String)
    /// The decoder produced an image of another size than the header declared.
    case sizeMismatch(width: Int, height: Int, expectedWidth: Int, expectedHeight: Int)

    /// The class of the error as a summary counts it ("corrupt", "truncated", "too many pixels", "unsupported format").
    public var kind: String {
        switch self {
        case .unsupportedFormat: return "unsupported format"
        case .tooManyPixels: return "too many pixels"
        case .corrupt, .sizeMismatch: return "corrupt"
        case .truncated: return "truncated"
        }
    }

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .unsupportedFormat(found): return "unsupported format: not a JPEG or PNG image (\(found.map { $0.rawValue.uppercased() } ?? "unknown bytes"))"
        case let .tooManyPixels(width, height, limit):
            return "too many pixels: \(width)x\(height) declared, the limit is \(limit)"
        case let .corrupt(message): return "corrupt: \(message)"
        case let .truncated(message): return "truncated: \(message)"
        case let .sizeMismatch(width, height, expectedWidth, expectedHeight):
            return "corrupt: decoder produced \(width)x\(height), expected \(expectedWidth)x\(expectedHeight)"
        }
    }
}
