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

extension EasyHandle {
    /// Sets up a GET of `url` under `options`: http(s) only (redirects too),
    /// capped redirects and size, time limits, low-speed abort, compression
    /// accepted, connection reuse.
    func configureGet(_ url: String, options: TransferOptions) {
        set(CURLOPT_URL, url)
        set(CURLOPT_HTTPGET, 1)
        set(CURLOPT_PROTOCOLS_STR, "http,https")
        set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        set(CURLOPT_FOLLOWLOCATION, 1)
        set(CURLOPT_MAXREDIRS, options.maxRedirects)
        set(CURLOPT_TIMEOUT_MS, Int(options.timeout * 1000))
        set(CURLOPT_CONNECTTIMEOUT_MS, Int(options.connectTimeout * 1000))
        set(CURLOPT_LOW_SPEED_LIMIT, options.lowSpeedBytes)
        set(CURLOPT_LOW_SPEED_TIME, options.lowSpeedSeconds)
        setOffset(CURLOPT_MAXFILESIZE_LARGE, Int64(options.maxBytes))
        set(CURLOPT_USERAGENT, options.userAgent)
        set(CURLOPT_ACCEPT_ENCODING, "")
        set(CURLOPT_TCP_KEEPALIVE, 1)
        setHeaders(["Accept: image/*,*/*;q=0.5"])
    }
}

/// Blocking HTTP GETs on libcurl's easy interface, for single files. The
/// concurrent downloader is `Downloader`.
public enum HTTPClient {
    /// Fetches `url` into memory.
    /// - Throws: `TransferError` for non-2xx answers and transport failures.
    public static func get(_ url: String, options: TransferOptions = TransferOptions()) throws(TransferError) -> HTTPResponse {
        let handle = EasyHandle()
        let state = TransferState(url: url, options: options)
        var body: [UInt8] = []
        handle.configureGet(url, options: options)
        handle.onHeader = { state.header($0) }
        handle.onBody = { chunk in
            guard state.accept(chunk.count) else { return false }
            body.append(contentsOf: chunk)
            return true
        }
        let code = handle.perform()
        if let error = state.error(for: code, handle: handle) { throw error }
        return HTTPResponse(statusCode: handle.responseCode, finalURL: handle.effectiveURL ?? url,
                            contentType: handle.contentType, headers: state.headers, body: body)
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
