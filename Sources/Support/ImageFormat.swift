/// An image container format, judged by the file's leading bytes (magic
/// numbers), never by its name or a server's Content-Type.
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg, png, gif, webp, bmp, tiff, avif

    /// Bytes needed to tell every format apart.
    public static let sniffLength = 16

    /// Identifies the format from the first bytes, or nil when none matches.
    public init?<Bytes: Collection>(sniffing bytes: Bytes) where Bytes.Element == UInt8 {
        self.init(sniffingHead: Array(bytes.prefix(12)))
    }

    /// Identifies the format from the first (up to 12) bytes: one non-generic
    /// body without allocations, called for every downloaded file.
    public init?(sniffingHead head: [UInt8]) {
        func starts(_ magic: StaticString, at offset: Int = 0) -> Bool {
            let count = magic.utf8CodeUnitCount
            guard head.count >= offset + count else { return false }
            let pointer = magic.utf8Start
            for i in 0..<count where head[offset + i] != pointer[i] { return false }
            return true
        }
        func starts(_ magic: (UInt8, UInt8, UInt8, UInt8)) -> Bool {
            head.count >= 4 && head[0] == magic.0 && head[1] == magic.1 && head[2] == magic.2 && head[3] == magic.3
        }
        if head.count >= 3 && head[0] == 0xFF && head[1] == 0xD8 && head[2] == 0xFF { self = .jpeg }
        else if starts((0x89, 0x50, 0x4E, 0x47)) && head.count >= 8
                    && head[4] == 0x0D && head[5] == 0x0A && head[6] == 0x1A && head[7] == 0x0A { self = .png }
        else if starts("GIF87a") || starts("GIF89a") { self = .gif }
        else if starts("RIFF") && starts("WEBP", at: 8) { self = .webp }
        else if head.count >= 2 && head[0] == 0x42 && head[1] == 0x4D { self = .bmp }
        else if starts((0x49, 0x49, 0x2A, 0x00)) || starts((0x4D, 0x4D, 0x00, 0x2A)) { self = .tiff }
        else if starts("ftypavif", at: 4) || starts("ftypheic", at: 4) { self = .avif }
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
