import Records
import Storage

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
    /// Wall time of the run.
    public var seconds: Double
    /// Images (ok or duplicate) finished per second in this run.
    public var imagesPerSecond: Double
    /// The records file fetched, when known.
    public var recordsFile: String?

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
        ] + (recordsFile.map { [("records_file", .string($0))] } ?? []))
    }
}
