/// Which job starts next: one queue per host, taken round robin, at most
/// `perHost` transfers to one host and `parallel` in all, and jobs waiting
/// for their retry time until it comes.
struct HostScheduler {
    let parallel: Int
    let perHost: Int
    private var queues: [String: HostQueue] = [:]
    /// Hosts with queued jobs, in the order they were first seen.
    private var hostOrder: [String] = []
    private var nextHost = 0
    private var waiting: [FetchJob] = []
    private var activeByHost: [String: Int] = [:]
    /// Transfers started and not yet finished.
    private(set) var active = 0

    init(parallel: Int, perHost: Int) {
        self.parallel = parallel
        self.perHost = perHost
    }

    /// Nothing queued, waiting or in flight: the run is over.
    var isDone: Bool { queues.isEmpty && waiting.isEmpty && active == 0 }
    /// Whether some host has jobs queued now.
    var hasQueued: Bool { !queues.isEmpty }

    mutating func enqueue(_ job: FetchJob) {
        if queues[job.host] == nil {
            queues[job.host] = HostQueue()
            hostOrder.append(job.host)
        }
        queues[job.host]!.jobs.append(job)
    }

    /// Queues `job` again once `readyAt` (monotonic seconds) has come.
    mutating func retry(_ job: FetchJob, at readyAt: Double) {
        job.readyAt = readyAt
        waiting.append(job)
    }

    /// Moves the jobs whose retry time has come back into their queues.
    mutating func releaseWaiting(now: Double) {
        guard !waiting.isEmpty else { return }
        let ready = waiting.filter { $0.readyAt <= now }
        guard !ready.isEmpty else { return }
        waiting.removeAll { $0.readyAt <= now }
        for job in ready { enqueue(job) }
    }

    /// The next job to start, round robin over hosts with queued jobs and
    /// spare capacity, or nil when every slot or host is busy. The caller
    /// reports it with `started` when it goes on the network.
    mutating func next() -> FetchJob? {
        var idleRounds = 0
        while active < parallel, !hostOrder.isEmpty, idleRounds < hostOrder.count {
            if nextHost >= hostOrder.count { nextHost = 0 }
            let host = hostOrder[nextHost]
            guard activeByHost[host, default: 0] < perHost, queues[host]?.isEmpty == false else {
                nextHost += 1
                idleRounds += 1
                continue
            }
            // Popped in place: taking the queue out of the dictionary would copy it per job.
            let job = queues[host]!.pop()
            if queues[host]!.isEmpty {
                queues[host] = nil
                hostOrder.remove(at: nextHost)
            } else {
                nextHost += 1
            }
            return job
        }
        return nil
    }

    /// Whether a job for `host` could start now, as far as its cap goes.
    func hasRoom(for host: String) -> Bool { activeByHost[host, default: 0] < perHost }

    mutating func started(_ job: FetchJob) {
        active += 1
        activeByHost[job.host, default: 0] += 1
    }

    mutating func finished(_ job: FetchJob) {
        active -= 1
        activeByHost[job.host, default: 1] -= 1
    }

    /// How long the event loop may wait for sockets: 100 ms, or until the
    /// soonest retry when nothing is in flight.
    func pollTimeout(now: Double) -> Int {
        guard active == 0, let soonest = waiting.map(\.readyAt).min() else { return 100 }
        return max(1, min(100, Int((soonest - now) * 1000)))
    }
}

/// Jobs of one host, taken from the front by advancing `head` (no copy per
/// job); the taken ones are dropped once they are half the array, so a
/// host's queue that is fed as fast as it drains does not keep every job it
/// ever held.
struct HostQueue {
    var jobs: [FetchJob] = []
    var head = 0
    var isEmpty: Bool { head == jobs.count }
    mutating func pop() -> FetchJob {
        let job = jobs[head]
        head += 1
        if head >= 1024 && head * 2 >= jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }
}
