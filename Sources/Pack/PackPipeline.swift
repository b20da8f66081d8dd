import Foundation

/// An input image as a worker read it (its item, read once) and what became of it.
struct PackDecoded {
    var item: PackItem
    var outcome: PackOutcome
}

/// What became of one input image in the workers' hands.
enum PackOutcome {
    case success(sha256: String, source: (width: Int, height: Int), hash: UInt64?)
    /// `kind`: the decoder's error class for a decode error, nil for the filters' refusals.
    case failure(DropReason, detail: String, source: (width: Int, height: Int)?, kind: String? = nil)
}

/// Decodes a list of items on worker threads into a ring of sample slots,
/// while the calling thread takes the finished ones in input order.
///
/// Item i lands in slot i mod `capacity`; a worker starts item i only once
/// item i - `capacity` has been taken, so memory stays at `capacity`
/// samples. The workers never wait for a round to end: the cores stay busy
/// while the caller writes, and no slow image holds the others back (a
/// round-by-round pack left a core idle at the end of every round, for as
/// long as its largest image took).
final class PackPipeline: @unchecked Sendable {
    typealias Work = @Sendable (_ index: Int, _ slot: UnsafeMutableBufferPointer<Float>) -> PackDecoded

    private let count: Int
    private let capacity: Int
    private let sampleSize: Int
    private let workers: Int
    private let work: Work
    private let slots: UnsafeMutableBufferPointer<Float>
    private let condition = NSCondition()
    // Under `condition`:
    private var claimed = 0
    private var taken = 0
    private var ready: [PackDecoded?]
    /// Every item in taken..<readyEnd is finished.
    private var readyEnd = 0
    /// The `readyEnd` the waiting caller needs (0 while it is not waiting):
    /// workers wake it only then, not at every item (a wake per item cost
    /// ~1,200 context switches a run of 429 images, each taking a core from a worker).
    private var callerNeeds = 0
    private var cancelled = false
    private var running = 0
    private var started = false

    /// - Parameters: `count` items, decoded by `work` into slots of `sampleSize` floats.
    init(count: Int, capacity: Int, sampleSize: Int, workers: Int, work: @escaping Work) {
        self.count = count
        self.capacity = max(1, min(capacity, count))
        self.sampleSize = sampleSize
        self.workers = max(1, min(workers, count))
        self.work = work
        // Left uninitialized: a worker fills a slot before the caller reads it
        // (zeroing 256 samples up front kept both cores waiting for ~5 ms).
        slots = .allocate(capacity: self.capacity * sampleSize)
        ready = Array(repeating: nil, count: self.capacity)
    }

    deinit { slots.deallocate() }

    /// Runs the workers and hands `take` each run of consecutive finished
    /// items: the index of its first item, their outcomes, and their slots
    /// (contiguous, `sampleSize` floats each), which `take` may reorder.
    /// Runs are at least half the ring long where the ring allows, so the
    /// writes stay large, until the last item is handed out. An error from `take` stops the workers and is rethrown.
    func run<E: Error>(take: (_ start: Int, _ outcomes: [PackDecoded], _ slots: UnsafeMutableBufferPointer<Float>) throws(E) -> Void) throws(E) {
        guard count > 0 else { return }
        start()
        defer { stop() }
        var next = 0
        while next < count {
            let first = next % capacity
            // Up to the ring's end, the items left, and half the ring.
            let limit = min(count - next, capacity - first)
            condition.lock()
            while true {
                // Once every item is handed out, whatever is ready goes: the
                // last run's write then overlaps the last decodes instead of following them.
                let wanted = claimed == count ? 1 : min(limit, max(1, capacity / 2))
                if readyEnd - next >= wanted { break }
                callerNeeds = next + wanted
                condition.wait()
            }
            callerNeeds = 0
            let end = min(readyEnd, next + limit)
            let outcomes = (next..<end).map { ready[$0 % capacity]! }
            condition.unlock()

            try take(next, outcomes, UnsafeMutableBufferPointer(rebasing: slots[(first * sampleSize)..<((first + outcomes.count) * sampleSize)]))

            condition.lock()
            for i in next..<end { ready[i % capacity] = nil }
            taken = end
            condition.broadcast()
            condition.unlock()
            next = end
        }
    }

    /// Starts the workers (once): they decode into the ring until it is
    /// full, before `run` takes anything. A caller that starts them and then
    /// does not run stops them.
    func start() {
        condition.lock()
        guard !started, count > 0 else { condition.unlock(); return }
        started = true
        running = workers
        condition.unlock()
        for _ in 0..<workers {
            let thread = Thread { [self] in workLoop() }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func workLoop() {
        condition.lock()
        while !cancelled && claimed < count {
            let index = claimed
            if index - taken >= capacity {
                condition.wait()
                continue
            }
            claimed += 1
            // The caller waits for fewer items once the last one is handed out.
            if claimed == count && callerNeeds > 0 { condition.broadcast() }
            condition.unlock()
            let slot = UnsafeMutableBufferPointer(rebasing: slots[((index % capacity) * sampleSize)..<((index % capacity + 1) * sampleSize)])
            let outcome = work(index, slot)
            condition.lock()
            ready[index % capacity] = outcome
            while readyEnd < claimed && ready[readyEnd % capacity] != nil { readyEnd += 1 }
            if callerNeeds > 0 && readyEnd >= callerNeeds { condition.broadcast() }
        }
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Stops handing out items and waits until every worker has left.
    func stop() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}
