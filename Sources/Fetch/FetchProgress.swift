import Records
import Storage

/// A snapshot of a running fetch, for progress displays.
public struct FetchProgress: Sendable {
    /// Records this run has to process.
    public var total: Int
    /// Records finished in this run.
    public var done: Int
    /// Records fetched.
    public var ok: Int
    /// Records that failed for good.
    public var failed: Int
    /// Records already finished by an earlier run (skipped).
    public var skipped: Int
    /// Bytes received.
    public var bytes: Int
    /// Transfers in flight.
    public var active: Int
    /// Seconds since the run started.
    public var elapsed: Double

    /// Finished records per second.
    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
    /// Estimated seconds left, nil before the first record finishes.
    public var eta: Double? { rate > 0 ? Double(total - done) / rate : nil }
}
