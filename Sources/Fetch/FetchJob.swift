import Records
import Support

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

/// A transfer in flight: its handle, what libcurl told so far, and where
/// the body goes (memory, then a temporary file past the spool limit).
final class ActiveTransfer {
    let job: FetchJob
    let handle: EasyHandle
    let state: TransferState
    let temporaryPath: String
    /// The body so far while it is small; spilled to `temporaryPath` past the spool limit.
    var memory: [UInt8] = []
    var fd: Int32 = -1
    var hasher = SHA256()
    var head: [UInt8] = []
    var format: String?
    var abort: AbortReason?
    var writeFailed: String?
    init(job: FetchJob, handle: EasyHandle, state: TransferState, temporaryPath: String) {
        self.job = job
        self.handle = handle
        self.state = state
        self.temporaryPath = temporaryPath
    }
}
