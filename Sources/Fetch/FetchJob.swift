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

/// Jobs of one host, taken from the front by advancing `head` (no copies).
struct HostQueue {
    var jobs: [FetchJob] = []
    var head = 0
    var isEmpty: Bool { head == jobs.count }
    mutating func pop() -> FetchJob {
        defer { head += 1 }
        return jobs[head]
    }
}

/// Why a transfer was stopped by the downloader itself.
enum AbortReason { case notImage(String), robots(String) }

/// A transfer in flight: its job, its handle, what libcurl told so far
/// (headers, byte count) and where the body goes.
final class ActiveTransfer {
    let job: FetchJob
    let handle: EasyHandle
    let state: TransferState
    let sink: ResponseSink
    init(job: FetchJob, handle: EasyHandle, state: TransferState, sink: ResponseSink) {
        self.job = job
        self.handle = handle
        self.state = state
        self.sink = sink
    }
}
