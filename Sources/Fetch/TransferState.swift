import CCurl

/// The per-transfer state that libcurl's callbacks fill in: headers of the
/// final response, bytes received, and why the transfer was aborted, if it was.
final class TransferState {
    let url: String
    let options: TransferOptions
    /// The headers of the current response that the downloader acts on
    /// (`keptHeaders`), names lowercased, repeated ones joined with ", ".
    var headers: [String: String] = [:]
    /// The status code of the current response's status line (0 before one).
    private(set) var statusCode = 0
    var received = 0
    var abortedTooLarge = false

    /// Headers worth keeping: robots opt-outs and retry delays. The rest are
    /// read through libcurl (content type) or not at all, so no string is
    /// made for them.
    static let keptHeaders: [(bytes: [UInt8], name: String)] = ["x-robots-tag", "retry-after"].map { (Array($0.utf8), $0) }

    init(url: String, options: TransferOptions) {
        self.url = url
        self.options = options
    }

    /// Records a header line (as libcurl gives it, line end included); a new
    /// status line starts a new response (after a redirect).
    func header(_ line: UnsafeRawBufferPointer) {
        let bytes = line.trimmingHeaderSpace(from: 0)
        if bytes.starts(with: Self.httpPrefix) {
            statusCode = Self.statusCode(of: bytes)
            headers = [:]
            return
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = bytes[..<colon]
        guard let key = Self.keptHeaders.first(where: { Self.equalsLowercased(name, $0.bytes) })?.name else { return }
        let value = String(decoding: line.trimmingHeaderSpace(from: colon + 1), as: UTF8.self)
        if let existing = headers[key] { headers[key] = existing + ", " + value } else { headers[key] = value }
    }

    private static let httpPrefix = Array("HTTP/".utf8)

    /// The number after the first space of a status line ("HTTP/1.1 404 Not Found"), 0 if none.
    private static func statusCode(of line: Slice<UnsafeRawBufferPointer>) -> Int {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { return 0 }
        var code = 0
        for byte in line[(space + 1)...] {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"), code < 1000 else { break }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return code
    }

    /// Whether `name` is `lowercase` in any ASCII case.
    private static func equalsLowercased(_ name: Slice<UnsafeRawBufferPointer>, _ lowercase: [UInt8]) -> Bool {
        guard name.count == lowercase.count else { return false }
        return zip(name, lowercase).allSatisfy { byte, expected in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte) == expected
        }
    }

    /// Whether the current response's status line is 2xx (true before one arrives).
    var isSuccessStatus: Bool { statusCode == 0 || (200..<300).contains(statusCode) }

    /// Counts body bytes; false (abort) once past the byte limit.
    func accept(_ count: Int) -> Bool {
        received += count
        if received > options.maxBytes {
            abortedTooLarge = true
            return false
        }
        return true
    }

    /// Classifies a finished transfer: nil for a 2xx response, else its error.
    func error(for code: CURLcode, handle: EasyHandle) -> TransferError? {
        if abortedTooLarge { return .tooLarge(url: url, limit: options.maxBytes) }
        switch code {
        case CURLE_OK:
            let status = handle.responseCode
            return (200..<300).contains(status) ? nil : .httpStatus(code: status, url: url)
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(url: url, message: handle.errorMessage(code))
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dns(url: url, message: handle.errorMessage(code))
        case CURLE_TOO_MANY_REDIRECTS:
            return .redirectLimit(url: url, limit: options.maxRedirects)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .badScheme(url: handle.redirectURL ?? url)
        case CURLE_FILESIZE_EXCEEDED:
            return .tooLarge(url: url, limit: options.maxBytes)
        case CURLE_COULDNT_CONNECT, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE,
             CURLE_SSL_CONNECT_ERROR, CURLE_WEIRD_SERVER_REPLY, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connection(url: url, message: handle.errorMessage(code))
        default:
            return .other(url: url, message: handle.errorMessage(code))
        }
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        // Works on scalars: "\r\n" is one Character in Swift.
        var s = Substring.UnicodeScalarView(self.unicodeScalars)
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" || last == "\r" || last == "\n" { s.removeLast() }
        return String(s)
    }
}

extension UnsafeRawBufferPointer {
    /// The bytes from `start` on without leading spaces and tabs and without
    /// trailing spaces, tabs and line ends.
    func trimmingHeaderSpace(from start: Int) -> Slice<UnsafeRawBufferPointer> {
        var lower = Swift.min(start, count)
        var upper = count
        while lower < upper, self[lower] == 0x20 || self[lower] == 0x09 { lower += 1 }
        while upper > lower {
            switch self[upper - 1] {
            case 0x20, 0x09, 0x0D, 0x0A: upper -= 1
            default: return self[lower..<upper]
            }
        }
        return self[lower..<upper]
    }
}
