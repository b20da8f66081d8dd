import Records

/// One record on its way through the downloader: tries so far, and when it
/// may be tried again.
final class FetchJob {
    let record: Record
    let host: String
    var attempts = 0
    var readyAt: Double = 0
    init(record: Record, host: String) {
        self.record = record
        self.host = host
    }
}
