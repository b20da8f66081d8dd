import CCurl

/// The per-transfer state that libcurl's callbacks fill in: headers of the
/// final response, bytes received, and why the transfer was aborted, if it was.
final class TransferState {
    let url: String
    let options: TransferOptions
    var headers: [String: String] = [:]
    var statusLine = ""
    var received = 0
    var abortedTooLarge = false

    init(url: String, options: TransferOptions) {
        self.url = url
        self.options = options
    }

    /// Records a header line; a new status line starts a new response (after a redirect).
    func header(_ line: String) {
        if line.hasPrefix("HTTP/") {
            statusLine = line
            headers = [:]
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = line[line.index(after: colon)...].trimmingSpaces()
        if let existing = headers[name] { headers[name] = existing + ", " + value } else { headers[name] = value }
    }

    /// Whether the current response's status line is 2xx.
    var isSuccessStatus: Bool {
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let code = Int(parts[1]) else { return true }
        return (200..<300).contains(code)
    }

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
