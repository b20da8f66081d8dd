/// What happened to one record in `ganprep fetch`: the manifest's `status`.
public enum FetchStatus: String, Sendable, CaseIterable, Codable {
    /// Downloaded; the file is an image (by its magic bytes).
    case ok
    /// The server answered with a non-2xx status (`http_code` says which).
    case httpError = "http_error"
    /// No complete answer in time, or the transfer stalled below the low-speed limit.
    case timeout
    /// Refused, reset, or the body ended before its Content-Length.
    case connection
    /// The host name did not resolve.
    case dns
    /// Larger than `--max-bytes`; aborted while streaming.
    case tooLarge = "too_large"
    /// The bytes are not an image (judged by magic bytes, not Content-Type).
    case notImage = "not_image"
    /// More redirects than `--max-redirects`, or a loop.
    case redirectLimit = "redirect_limit"
    /// A scheme other than http or https, given or redirected to.
    case badScheme = "bad_scheme"
    /// The server said `X-Robots-Tag: noai` or `noimageai`.
    case robotsOptOut = "robots_opt_out"
    /// The record's URL is empty or not a URL.
    case invalidRecord = "invalid_record"
    /// The same bytes as a record with a lower index; both point to one file.
    case duplicate
    /// A failure that fits no class above.
    case error

    /// Whether a later attempt may succeed: timeouts, broken connections,
    /// DNS failures, and HTTP 408, 429 and 5xx.
    public func isTransient(httpCode: Int?) -> Bool {
        switch self {
        case .timeout, .connection, .dns: return true
        case .httpError:
            guard let code = httpCode else { return false }
            return code == 408 || code == 429 || (500...599).contains(code)
        default: return false
        }
    }

    /// Whether the record has a usable image file (ok or duplicate).
    public var hasFile: Bool { self == .ok || self == .duplicate }
}
