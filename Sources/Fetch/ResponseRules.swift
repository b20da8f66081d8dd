import Foundation
import Records

/// How the downloader judges records and responses: URLs it will not
/// fetch, robots headers, error classes, retry delays, hosts. Pure functions
/// of their inputs.
enum ResponseRules {
    static func host(of url: String) -> String? {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else { return nil }
        return host.lowercased() + (components.port.map { ":\($0)" } ?? "")
    }

    /// What the downloader needs of a record's URL before any transfer: the
    /// entry that refuses it without the network, or the host whose queue it
    /// waits in. Plain http(s) URLs (nearly all) are read directly; the rest
    /// go through `URLComponents`.
    static func plan(_ record: Record) -> (refusal: ManifestEntry?, host: String) {
        if let host = plainHTTPHost(of: record.url) { return (nil, host) }
        if let refusal = refusal(of: record) { return (refusal, "") }
        return (nil, host(of: record.url) ?? "")
    }

    /// The host (lowercased, with its port) of a plain http(s) URL, read
    /// without Foundation's parser: only URLs it accepts as they are (lower-case
    /// scheme, a host of letters, digits, dots and dashes, an optional port,
    /// then only characters a URL may hold unescaped, no %, #, [ or ]).
    /// nil for everything else, which `URLComponents` then judges.
    static func plainHTTPHost(of url: String) -> String? {
        var url = url
        return url.withUTF8 { bytes -> String? in
            guard bytes.count <= maxURLBytes else { return nil }
            let start: Int
            if bytes.starts(with: "http://".utf8) { start = 7 } else if bytes.starts(with: "https://".utf8) { start = 8 } else { return nil }
            var end = start
            var colon: Int?
            while end < bytes.count, bytes[end] != UInt8(ascii: "/"), bytes[end] != UInt8(ascii: "?") {
                let c = bytes[end]
                switch c {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "-"), UInt8(ascii: "."):
                    guard colon == nil else { return nil }
                case UInt8(ascii: "0")...UInt8(ascii: "9"): break
                case UInt8(ascii: ":"):
                    guard colon == nil else { return nil }
                    colon = end
                default: return nil
                }
                end += 1
            }
            let hostEnd = colon ?? end
            guard hostEnd > start else { return nil }
            if let colon {
                let digits = bytes[(colon + 1)..<end]
                guard (1...5).contains(digits.count), digits.first != UInt8(ascii: "0"),
                      let port = Int(String(decoding: digits, as: UTF8.self)), port <= 65535 else { return nil }
            }
            for c in bytes[end...] where !Self.plainURLByte(c) { return nil }
            return String(decoding: bytes[start..<end], as: UTF8.self).lowercased()
        }
    }

    /// Bytes a URL's path and query may hold as they are (RFC 3986's
    /// unreserved and reserved characters but #, [ and ]; no %).
    private static func plainURLByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        default: return "-._~:/?@!$&'()*+,;=".utf8.contains(c)
        }
    }

    /// URLs longer than this are refused as invalid records (libcurl itself
    /// refuses 8 MB; servers and proxies commonly stop at 8 to 64 KiB).
    static let maxURLBytes = 65536

    /// The manifest entry for a record that needs no network (no URL, not a
    /// URL, too long, another scheme, no host), or nil when it can be fetched.
    static func refusal(of record: Record) -> ManifestEntry? {
        let url = record.url
        func entry(_ status: FetchStatus, _ message: String) -> ManifestEntry {
            ManifestEntry(index: record.index, url: url, description: record.description, status: status,
                          error: message, extra: record.extra)
        }
        if let refusal = record.refusal { return entry(.invalidRecord, refusal) }
        guard url.utf8.count <= maxURLBytes else {
            return entry(.invalidRecord, "record \(record.index): URL of \(url.utf8.count) bytes is longer than the \(maxURLBytes) bytes accepted")
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            return entry(.invalidRecord, url.isEmpty ? "record \(record.index): empty url" : "record \(record.index): not a URL: \(url)")
        }
        guard scheme == "http" || scheme == "https" else { return entry(.badScheme, "\(url): only http and https are fetched") }
        guard let host = components.host, !host.isEmpty else {
            return entry(.invalidRecord, "record \(record.index): URL has no host: \(url)")
        }
        return nil
    }

    static func describe(_ head: [UInt8], contentType: String?) -> String {
        let text = String(decoding: head.prefix(16), as: UTF8.self).filter { !$0.isNewline }
        let printable = head.prefix(16).allSatisfy { $0 >= 0x09 && $0 < 0x7F }
        let shown = printable ? "\"\(text)\"" : head.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
        return "not an image: starts with \(shown) (Content-Type: \(contentType ?? "none"))"
    }

    /// Whether an X-Robots-Tag value opts out of AI use: `noai` or
    /// `noimageai`, for all agents or for ganprep.
    static func optsOut(_ value: String) -> Bool {
        for part in value.lowercased().split(separator: ",") {
            var directive = part.trimmingSpaces()
            if let colon = directive.firstIndex(of: ":") {
                let agent = directive[..<colon].trimmingSpaces()
                let rest = directive[directive.index(after: colon)...].trimmingSpaces()
                if agent != "ganprep" && agent != "*" { continue }
                directive = rest
            }
            if directive == "noai" || directive == "noimageai" { return true }
        }
        return false
    }

    static func status(of error: TransferError) -> FetchStatus {
        switch error {
        case .httpStatus: return .httpError
        case .timeout: return .timeout
        case .connection: return .connection
        case .dns: return .dns
        case .tooLarge: return .tooLarge
        case .redirectLimit: return .redirectLimit
        case .badScheme: return .badScheme
        case .other: return .error
        }
    }

    /// Exponential backoff with jitter from `options.backoffBase`, or the
    /// server's Retry-After when it gives one (seconds or an HTTP date),
    /// capped at `options.backoffMax`.
    static func retryDelay(attempt: Int, retryAfter: String?, options: FetchOptions) -> Double {
        if let retryAfter {
            if let seconds = Double(retryAfter.trimmingSpaces()) { return min(max(seconds, 0), options.backoffMax) }
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let date = formatter.date(from: retryAfter.trimmingSpaces()) {
                return min(max(date.timeIntervalSinceNow, 0), options.backoffMax)
            }
        }
        let base = options.backoffBase * pow(2, Double(attempt - 1))
        return min(base * Double.random(in: 0.5..<1.5), options.backoffMax)
    }
}
