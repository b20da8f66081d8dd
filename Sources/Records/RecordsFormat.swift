/// The formats `RecordsReader` accepts.
public enum RecordsFormat: String, Sendable, CaseIterable {
    /// A JSON array of objects (the original dataset's format).
    case json
    /// One JSON object per line.
    case jsonLines = "jsonl"
    /// Comma-separated values with a header row naming `url` (and usually `description`).
    case csv

    /// Guesses the format from the file name, then from the first non-blank byte.
    public static func detect(name: String, bytes: [UInt8]) -> RecordsFormat {
        let lower = name.lowercased()
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonLines }
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".json") { return .json }
        let first = bytes.drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }.first
        switch first {
        case UInt8(ascii: "["): return .json
        case UInt8(ascii: "{"): return .jsonLines
        default: return .csv
        }
    }
}
