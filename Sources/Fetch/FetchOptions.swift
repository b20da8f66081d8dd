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

    public init(
        parallel: Int = 32, perHost: Int = 8, retries: Int = 3, transfer: TransferOptions = TransferOptions(),
        honourRobotsHeaders: Bool = true, onlyFailed: Bool = false, backoffBase: Double = 1, backoffMax: Double = 60
    ) {
        self.parallel = max(1, parallel)
        self.perHost = max(1, perHost)
        self.retries = max(0, retries)
        self.transfer = transfer
        self.honourRobotsHeaders = honourRobotsHeaders
        self.onlyFailed = onlyFailed
        self.backoffBase = backoffBase
        self.backoffMax = backoffMax
    }
}

/// A snapshot of a running fetch, for progress displays.
public struct FetchProgress: Sendable {
    /// Records this run has to process.
    public var total: Int
    /// Records finished in this run.
    public var done: Int
    public var ok: Int
    public var failed: Int
    /// Records already finished by an earlier run (skipped).
    public var skipped: Int
    public var bytes: Int
    public var active: Int
    public var elapsed: Double

    /// Finished records per second.
    public var rate: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
    /// Estimated seconds left, nil before the first record finishes.
    public var eta: Double? { rate > 0 ? Double(total - done) / rate : nil }
}

/// What a fetch run did, also written as `summary.json`.
public struct FetchSummary: Sendable {
    /// Records in the records file.
    public var records: Int
    /// Records processed in this run.
    public var processed: Int
    /// Records skipped because an earlier run finished them.
    public var skipped: Int
    /// Files of earlier runs downloaded again because they were missing or
    /// did not match their manifest line's size and SHA-256.
    public var unverified: Int
    /// Final status counts over all records in the manifest.
    public var counts: [FetchStatus: Int]
    /// Body bytes received in this run.
    public var bytes: Int
    public var seconds: Double
    /// Images (ok or duplicate) finished per second in this run.
    public var imagesPerSecond: Double

    /// The summary as a JSON object.
    public var json: JSONValue {
        .object([
            ("records", .number(Double(records))),
            ("processed", .number(Double(processed))),
            ("skipped", .number(Double(skipped))),
            ("unverified_redownloaded", .number(Double(unverified))),
            ("counts", .object(FetchStatus.allCases.compactMap { status in
                counts[status].map { (status.rawValue, .number(Double($0))) }
            })),
            ("bytes", .number(Double(bytes))),
            ("seconds", .number((seconds * 1000).rounded() / 1000)),
            ("images_per_second", .number((imagesPerSecond * 100).rounded() / 100)),
        ])
    }
}

/// Why a fetch run could not proceed at all (individual download failures
/// are data in the manifest, not errors).
public enum FetchError: Error, Sendable, CustomStringConvertible {
    /// The output directory could not be created or written.
    case outputDirectory(path: String, reason: String)
    /// The manifest could not be read.
    case manifest(RecordsError)
    /// An output could not be written (a full disk, another fetch holding the directory, ...).
    case storage(StorageError)

    public var description: String {
        switch self {
        case let .outputDirectory(path, reason): return "\(path): \(reason)"
        case let .manifest(error): return error.description
        case let .storage(error): return error.description
        }
    }
}

