import Records

/// One record on its way through the downloader: tries so far, and when it
/// may be tried again.
final class FetchJob {
    let record: Record
    let host: String
    /// The entry of a record that is refused without the network (see `ResponseRules.plan`).
    let refusal: ManifestEntry?
    var attempts = 0
    var readyAt: Double = 0
    init(record: Record, host: String, refusal: ManifestEntry? = nil) {
        self.record = record
        self.host = host
        self.refusal = refusal
    }

    /// A job for `record`, its URL parsed once for both its host and its refusal.
    convenience init(planning record: Record) {
        let plan = ResponseRules.plan(record)
        self.init(record: record, host: plan.host, refusal: plan.refusal)
    }
}
