import Foundation

/// Streamed mini-batches read from the HDF5 file chunk by chunk, for
/// datasets larger than memory.
///
/// Each epoch visits the chunks in a shuffled order and mixes the images of
/// `shuffleChunks` chunks at a time in a shuffle buffer; a background thread
/// reads whole chunks (one hyperslab of complete chunk rows per read) and
/// keeps `prefetch` batches ready, so the training step does not wait on the
/// disk. Memory is bounded by (shuffleChunks + 1) chunks plus `prefetch`
/// batches, whatever the dataset's size. Every image appears exactly once
/// per epoch, in an order that depends only on the seed and the epoch.
public final class ChunkedBatchStream: BatchSource {
    public let count: Int
    public let sampleSize: Int
    public let batchSize: Int
    public let seed: UInt64
    public let prefetch: Int
    public let shuffleChunks: Int
    /// Images per chunk (the file's chunking along N).
    public let chunkLength: Int
    private let reader: DatasetReader
    private var producer: Producer?

    public init(reader: DatasetReader, batchSize: Int, seed: UInt64, prefetch: Int = 4, shuffleChunks: Int = 4) {
        self.reader = reader
        count = reader.count
        sampleSize = reader.sampleSize
        self.batchSize = batchSize
        self.seed = seed
        self.prefetch = max(1, prefetch)
        self.shuffleChunks = max(1, shuffleChunks)
        chunkLength = max(1, reader.chunkLength)
    }

    deinit { producer?.cancel() }

    public func startEpoch(_ epoch: Int, skippingBatches skip: Int) throws(DatasetError) {
        producer?.cancel()
        let p = Producer(stream: self, reader: reader, epoch: epoch, skip: skip)
        producer = p
        p.start()
    }

    public func nextBatch(into output: UnsafeMutablePointer<Float>) throws(DatasetError) -> Int {
        guard let producer else { return 0 }
        return try producer.take(into: output)
    }

    /// The epoch's image order: chunk order shuffled, then a shuffle buffer
    /// over `shuffleChunks` chunks. Returns (image index, chunk loads so far)
    /// pairs; a pure function of seed and epoch.
    func plan(epoch: Int) -> (order: [Int], chunkOrder: [Int], loadsBefore: [Int]) {
        var random = epochGenerator(seed: seed, epoch: epoch)
        let chunks = (count + chunkLength - 1) / chunkLength
        var chunkOrder = Array(0..<chunks)
        random.shuffle(&chunkOrder)
        var buffer: [Int] = []
        var order: [Int] = []
        var loadsBefore: [Int] = []
        order.reserveCapacity(count)
        var loaded = 0
        func load() {
            let c = chunkOrder[loaded]
            buffer.append(contentsOf: (c * chunkLength)..<min(count, (c + 1) * chunkLength))
            loaded += 1
        }
        while loaded < min(shuffleChunks, chunks) { load() }
        while !buffer.isEmpty {
            let pick = random.below(buffer.count)
            order.append(buffer[pick])
            loadsBefore.append(loaded)
            buffer.swapAt(pick, buffer.count - 1)
            buffer.removeLast()
            // Keep shuffleChunks - 1 chunks' worth buffered while chunks remain.
            if loaded < chunks && buffer.count <= (shuffleChunks - 1) * chunkLength { load() }
        }
        return (order, chunkOrder, loadsBefore)
    }

    /// The background reader of one epoch.
    final class Producer: @unchecked Sendable {
        unowned let stream: ChunkedBatchStream
        let reader: DatasetReader
        let epoch: Int
        let skip: Int
        private let lock = NSLock()
        private let filled = DispatchSemaphore(value: 0)
        private let free: DispatchSemaphore
        private var ready: [(buffer: UnsafeMutablePointer<Float>, count: Int)] = []
        private var pool: [UnsafeMutablePointer<Float>] = []
        private var cancelled = false
        private var failure: DatasetError?
        private var finished = false
        private var thread: Thread?
        private let done = DispatchSemaphore(value: 0)

        init(stream: ChunkedBatchStream, reader: DatasetReader, epoch: Int, skip: Int) {
            self.stream = stream
            self.reader = reader
            self.epoch = epoch
            self.skip = skip
            free = DispatchSemaphore(value: stream.prefetch)
            for _ in 0..<stream.prefetch { pool.append(.allocate(capacity: stream.batchSize * stream.sampleSize)) }
        }

        deinit { for p in pool { p.deallocate() } }

        func start() {
            let t = Thread { [self] in run(); done.signal() }
            t.stackSize = 1 << 20
            thread = t
            t.start()
        }

        /// Stops the reader thread and waits for it; safe to call twice.
        func cancel() {
            let first: Bool = lock.withLock {
                defer { cancelled = true }
                return !cancelled
            }
            guard first else { return }
            free.signal()
            done.wait()
        }

        private var isCancelled: Bool { lock.withLock { cancelled } }

        private func run() {
            let s = stream
            let (order, chunkOrder, loadsBefore) = s.plan(epoch: epoch)
            let size = s.sampleSize, chunkLength = s.chunkLength
            // Loaded chunks: chunk index -> its images.
            var slots: [Int: UnsafeMutablePointer<Float>] = [:]
            var remaining: [Int: Int] = [:]
            var loaded = 0
            defer { for (_, p) in slots { p.deallocate() } }
            var position = min(order.count, skip * s.batchSize)
            // Chunks whose images were all emitted by the skipped batches are never read.
            var emittedPerChunk: [Int: Int] = [:]
            for i in 0..<position { emittedPerChunk[order[i] / chunkLength, default: 0] += 1 }
            while position < order.count {
                free.wait()
                if isCancelled { return }
                let buffer: UnsafeMutablePointer<Float> = lock.withLock { pool.removeLast() }
                let n = min(s.batchSize, order.count - position)
                do {
                    for k in 0..<n {
                        let index = order[position + k]
                        while loaded < loadsBefore[position + k] {
                            let c = chunkOrder[loaded]
                            let first = c * chunkLength
                            let length = min(s.count, first + chunkLength) - first
                            let pending = length - emittedPerChunk[c, default: 0]
                            loaded += 1
                            guard pending > 0 else { continue }
                            let data = UnsafeMutablePointer<Float>.allocate(capacity: length * size)
                            try reader.read(start: first, count: length, into: UnsafeMutableBufferPointer(start: data, count: length * size))
                            slots[c] = data
                            remaining[c] = pending
                        }
                        let c = index / chunkLength
                        guard let data = slots[c] else { preconditionFailure("chunk \(c) not loaded") }
                        (buffer + k * size).update(from: data + (index - c * chunkLength) * size, count: size)
                        remaining[c]! -= 1
                        if remaining[c]! == 0 {
                            data.deallocate()
                            slots[c] = nil
                        }
                    }
                } catch {
                    lock.withLock {
                        failure = error
                        pool.append(buffer)
                    }
                    filled.signal()
                    return
                }
                position += n
                lock.withLock { ready.append((buffer, n)) }
                filled.signal()
            }
            lock.withLock { finished = true }
            filled.signal()
        }

        func take(into output: UnsafeMutablePointer<Float>) throws(DatasetError) -> Int {
            while true {
                filled.wait()
                // One look under the lock: a ready batch first, then a failure or the end.
                let (next, failure, finished) = lock.withLock { (ready.isEmpty ? nil : ready.removeFirst(), self.failure, self.finished) }
                if let next {
                    output.update(from: next.buffer, count: next.count * stream.sampleSize)
                    lock.withLock { pool.append(next.buffer) }
                    free.signal()
                    return next.count
                }
                if let failure { throw failure }
                if finished {
                    filled.signal()  // Later calls also see the end.
                    return 0
                }
            }
        }
    }
}
