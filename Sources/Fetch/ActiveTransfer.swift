import Records

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
