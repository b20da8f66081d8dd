/// Why an image could not be decoded. Each case carries the decoder's own
/// words where it gave any; callers add the file or record name.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes are not a format ganprep decodes (`found` names what they are, if known).
    case unsupportedFormat(found: String)
    /// The header declares more pixels than the limit; nothing was allocated.
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// The data is corrupt or not decodable.
    case corrupt(String)
    /// The data ends early (strict mode treats decoder warnings as this).
    case truncated(String)

    /// The class of the error as a summary counts it ("corrupt", "truncated", "too many pixels", "unsupported format").
    public var kind: String {
        switch self {
        case .unsupportedFormat: return "unsupported format"
        case .tooManyPixels: return "too many pixels"
        case .corrupt: return "corrupt"
        case .truncated: return "truncated"
        }
    }

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .unsupportedFormat(found): return "unsupported format: not a JPEG or PNG image (\(found))"
        case let .tooManyPixels(width, height, limit):
            return "too many pixels: \(width)x\(height) declared, the limit is \(limit)"
        case let .corrupt(message): return "corrupt: \(message)"
        case let .truncated(message): return "truncated: \(message)"
        }
    }
}
