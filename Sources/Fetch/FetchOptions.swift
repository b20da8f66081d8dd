import Records
import Storage

/// How `Downloader` fetches: concurrency, politeness, retries, limits.
public struct FetchOptions: Sendable {
    /// Transfers in flight at once.
    public var parallel: Int
    /// Transfers in flight at once to one host.
    public var perHost: Int
    /// Further attempts after a transient failure (timeouts, resets, 408, 429, 5xx).
    public var retries: Int
    /// Per-transfer limits and the user agent.
    public var transfer: TransferOptions
    /// Skip images whose response says `X-Robots-Tag: noai` or `noimageai`.
    public var honourRobotsHeaders: Bool
    /// Only retry records whose last status was a transient failure.
    public var onlyFailed: Bool
    /// First retry delay in seconds; doubles each attempt, with ±50% jitter.
    public var backoffBase: Double
    /// Longest retry delay in seconds (a server's Retry-After is capped at this too).
    public var backoffMax: Double
    /// This process's share of the records (the whole list by default).
    public var shard: Shard
    /// The records file fetched (absolute), written into the summary for reports.
    public var recordsFile: String?

    /// Options; every limit has the CLI's default.
    public init(
        parallel: Int = 32, perHost: Int = 8, retries: Int = 3, transfer: TransferOptions = TransferOptions(),
        honourRobotsHeaders: Bool = true, onlyFailed: Bool = false, backoffBase: Double = 1, backoffMax: Double = 60,
        shard: Shard = .whole
    ) {
        self.parallel = max(1, parallel)
        self.perHost = max(1, perHost)
        self.retries = max(0, retries)
        self.transfer = transfer
        self.honourRobotsHeaders = honourRobotsHeaders
        self.onlyFailed = onlyFailed
        self.backoffBase = backoffBase
        self.backoffMax = backoffMax
        self.shard = shard
    }
}
