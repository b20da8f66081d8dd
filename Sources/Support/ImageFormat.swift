/// An image container format, judged by the file's leading bytes (magic
/// numbers), never by its name or a server's Content-Type.
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg, png, gif, webp, bmp, tiff, avif

    /// Bytes needed to tell every format apart.
    public static let sniffLength = 16

    /// Identifies the format from the first bytes, or nil when none matches.
    public init?<Bytes: Collection>(sniffing bytes: Bytes) where Bytes.Element == UInt8 {
        let head = Array(bytes.prefix(12))
        func starts(_ magic: [UInt8]) -> Bool { head.count >= magic.count && Array(head.prefix(magic.count)) == magic }
        if starts([0xFF, 0xD8, 0xFF]) { self = .jpeg }
        else if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { self = .png }
        else if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { self = .gif }
        else if head.count >= 12, starts(Array("RIFF".utf8)), Array(head[8..<12]) == Array("WEBP".utf8) { self = .webp }
        else if starts([0x42, 0x4D]) { self = .bmp }
        else if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { self = .tiff }
        else if head.count >= 12, Array(head[4..<12]) == Array("ftypavif".utf8) || Array(head[4..<12]) == Array("ftypheic".utf8) { self = .avif }
        else { return nil }
    }

    /// Whether ganprep can decode this format (JPEG and PNG).
    public var isDecodable: Bool { self == .jpeg || self == .png }

    /// The usual file extension.
    public var fileExtension: String {
        switch self {
        case .jpeg: return "jpg"
        default: return rawValue
        }
    }
}
