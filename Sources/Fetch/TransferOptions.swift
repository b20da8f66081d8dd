/// Limits and identity for HTTP transfers.
public struct TransferOptions: Sendable {
    /// Whole-transfer time limit in seconds.
    public var timeout: Double
    /// Connection (and name resolution) time limit in seconds.
    public var connectTimeout: Double
    /// Largest accepted body in bytes; larger transfers are aborted while streaming.
    public var maxBytes: Int
    /// Redirects followed at most.
    public var maxRedirects: Int
    /// User-Agent header.
    public var userAgent: String
    /// A transfer slower than `lowSpeedBytes` per second for `lowSpeedSeconds`
    /// is aborted as a timeout, so a stalled server cannot hang a run.
    public var lowSpeedBytes: Int
    /// Seconds below `lowSpeedBytes` per second after which a transfer is aborted.
    public var lowSpeedSeconds: Int

    /// Transfer limits; every one has the CLI's default.
    public init(
        timeout: Double = 60, connectTimeout: Double = 10, maxBytes: Int = 20 << 20, maxRedirects: Int = 5,
        userAgent: String = "ganprep", lowSpeedBytes: Int = 1024, lowSpeedSeconds: Int = 15
    ) {
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxBytes = maxBytes
        self.maxRedirects = maxRedirects
        self.userAgent = userAgent
        self.lowSpeedBytes = lowSpeedBytes
        self.lowSpeedSeconds = lowSpeedSeconds
    }
}
