/// Why one HTTP transfer failed. Every case names the URL it concerns.
public enum TransferError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The server answered with a non-2xx status.
    case httpStatus(code: Int, url: String)
    /// No complete answer in time (total timeout or the low-speed limit).
    case timeout(url: String, message: String)
    /// Connecting failed, or the connection broke (refused, reset, short body).
    case connection(url: String, message: String)
    /// The host name could not be resolved.
    case dns(url: String, message: String)
    /// The body exceeded the byte limit; the transfer was aborted while streaming.
    case tooLarge(url: String, limit: Int)
    /// More redirects than allowed (or a loop).
    case redirectLimit(url: String, limit: Int)
    /// A scheme other than http or https, given or redirected to.
    case badScheme(url: String)
    /// Anything else libcurl reported.
    case other(url: String, message: String)

    /// The URL the error concerns.
    public var url: String {
        switch self {
        case let .httpStatus(_, url), let .timeout(url, _), let .connection(url, _), let .dns(url, _),
             let .tooLarge(url, _), let .redirectLimit(url, _), let .badScheme(url), let .other(url, _):
            return url
        }
    }

    /// The message a user reads: what went wrong, and where.
    public var description: String {
        switch self {
        case let .httpStatus(code, url): return "HTTP \(code) from \(url)"
        case let .timeout(url, message): return "timed out fetching \(url): \(message)"
        case let .connection(url, message): return "connection failed for \(url): \(message)"
        case let .dns(url, message): return "cannot resolve host of \(url): \(message)"
        case let .tooLarge(url, limit): return "\(url) is larger than the limit of \(limit) bytes"
        case let .redirectLimit(url, limit): return "more than \(limit) redirects from \(url)"
        case let .badScheme(url): return "\(url): only http and https are fetched"
        case let .other(url, message): return "\(url): \(message)"
        }
    }
}
