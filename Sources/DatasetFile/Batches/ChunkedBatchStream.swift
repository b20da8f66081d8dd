import Foundation
import Support
import Synchronization

/// Streamed mini-batches read from the HDF5 file chunk by chunk, for
/// datasets larger than memory.
///
/// Each epoch visits the chunks in a shuffled order and mixes the images of
/// `shuffleChunks` chunks at a time in a shuffle buffer; a background thread
/// reads whole chunks (one hyperslab of complete chunk rows per read) and
/// keeps `prefetch` batches ready, so the training step does not wait on the
/// disk. Memory is bounded by (shuffleChunks + 1) chunks plus `prefetch`
/// batches, plus a few bytes per chunk for the epoch's chunk order
/// (`EpochOrder`), whatever the number of images. Every image appears exactly once
/// per epoch, in an order that depends only on the seed and the epoch.
public final class ChunkedBatchStream: BatchSource {
    /// Images in the dataset.
    public let count: Int
    /// Floats per image.
    public let sampleSize: Int
    /// Images per batch (the last of an epoch may hold fewer).
    public let batchSize: Int
    /// Seeds each epoch's order (with the epoch number): the same seed, the same batches.
    public let seed: UInt64
    /// Batches read ahead on the background thread.
    public let prefetch: Int
    /// Chunks whose images are shuffled together (the window of the shuffle).
    public let shuffleChunks: Int
    /// Images per chunk (the file's chunking along N).
    public let chunkLength: Int
    private let reader: DatasetReader
    private var producer: Producer?
    /// The file indices of the images of the last batch, in batch order.
    public private(set) var lastIndices: [Int] = []

    /// Streams `reader`'s images in batches of `batchSize`, `prefetch` batches ahead,
    /// shuffled within windows of `shuffleChunks` chunks.
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

    /// Starts epoch `epoch`'s order, skipping its first `skip` batches (a resumed run).
    public func startEpoch(_ epoch: Int, skippingBatches skip: Int) throws(DatasetError) {
        producer?.cancel()
        let p = Producer(stream: self, reader: reader, epoch: epoch, skip: skip)
        producer = p
        p.start()
    }

    /// Writes the next batch into `output`; returns its image count, 0 at the end of the epoch.
    public func nextBatch(into output: UnsafeMutablePointer<Float>) throws(DatasetError) -> Int {
        guard let producer else { return 0 }
        let (n, indices) = try producer.take(into: output)
        lastIndices = indices
        return n
    }

    /// The background reader of one epoch.
    final class Producer: @unchecked Sendable {
        unowned let stream: ChunkedBatchStream
        let reader: DatasetReader
        let epoch: Int
        let skip: Int
        private let filled = DispatchSemaphore(value: 0)
        private let free: DispatchSemaphore
        /// What the reader thread and the consumer share.
        private struct Shared {
            /// Batch buffers, each owned by one side at a time.
            var ready: [(buffer: UncheckedSendable<UnsafeMutablePointer<Float>>, count: Int, indices: [Int])] = []
            var pool: [UncheckedSendable<UnsafeMutablePointer<Float>>] = []
            var cancelled = false
            var failure: DatasetError?
            var finished = false
        }
        private let shared = Mutex(Shared())
        private var thread: Thread?
        private let done = DispatchSemaphore(value: 0)

        init(stream: ChunkedBatchStream, reader: DatasetReader, epoch: Int, skip: Int) {
            self.stream = stream
            self.reader = reader
            self.epoch = epoch
            self.skip = skip
            free = DispatchSemaphore(value: stream.prefetch)
            let size = stream.batchSize * stream.sampleSize
            shared.withLock { state in
                for _ in 0..<stream.prefetch { state.pool.append(UncheckedSendable(.allocate(capacity: size))) }
            }
        }

        deinit { shared.withLock { state in for p in state.pool { p.value.deallocate() } } }

        func start() {
            let t = Thread { [self] in run(); done.signal() }
            t.stackSize = 1 << 20
            thread = t
            t.start()
        }

        /// Stops the reader thread and waits for it; safe to call twice.
        func cancel() {
            let first: Bool = shared.withLock { state in
                defer { state.cancelled = true }
                return !state.cancelled
            }
            guard first else { return }
            free.signal()
            done.wait()
        }

        private var isCancelled: Bool { shared.withLock { $0.cancelled } }

        private func run() {
            let s = stream
            var order = EpochOrder(count: s.count, chunkLength: s.chunkLength, shuffleChunks: s.shuffleChunks, seed: s.seed, epoch: epoch)
            var chunks = LoadedChunks(chunkLength: s.chunkLength, sampleSize: s.sampleSize)
            defer { chunks.deallocateAll() }
            var position = chunks.replaySkipped(min(s.count, skip * s.batchSize), order: &order)
            while position < s.count {
                free.wait()
                if isCancelled { return }
                let buffer = shared.withLock { $0.pool.removeLast() }.value
                let n = min(s.batchSize, s.count - position)
                var indices: [Int] = []
                indices.reserveCapacity(n)
                do throws(DatasetError) {
                    for k in 0..<n {
                        guard let (image, needed) = order.next() else { break }
                        try chunks.load(upTo: needed, order: order, reader: reader)
                        indices.append(image)
                        try chunks.copy(image: image, to: buffer + k * s.sampleSize, path: reader.path)
                    }
                } catch {
                    shared.withLock { state in
                        state.failure = error
                        state.pool.append(UncheckedSendable(buffer))
                    }
                    filled.signal()
                    return
                }
                position += n
                shared.withLock { $0.ready.append((UncheckedSendable(buffer), n, indices)) }
                filled.signal()
            }
            shared.withLock { $0.finished = true }
            filled.signal()
        }

        /// The next batch's image count and file indices; 0 images at the end of the epoch.
        func take(into output: UnsafeMutablePointer<Float>) throws(DatasetError) -> (Int, [Int]) {
            while true {
                filled.wait()
                // One look under the lock: a ready batch first, then a failure or the end.
                let (next, failure, finished) = shared.withLock { state in
                    (state.ready.isEmpty ? nil : state.ready.removeFirst(), state.failure, state.finished)
                }
                if let next {
                    output.update(from: next.buffer.value, count: next.count * stream.sampleSize)
                    shared.withLock { $0.pool.append(next.buffer) }
                    free.signal()
                    return (next.count, next.indices)
                }
                if let failure { throw failure }
                if finished {
                    filled.signal()  // Later calls also see the end.
                    return (0, [])
                }
            }
        }
    }
}

/// The chunks an epoch's producer has read: each chunk's images, and how many
/// of them are still to be emitted (a chunk is freed after its last image).
/// Skipped batches (a resumed epoch) are replayed on indices alone: a chunk
/// whose images they all emitted is never read.
private struct LoadedChunks {
    let chunkLength: Int
    let sampleSize: Int
    private var slots: [Int: UnsafeMutablePointer<Float>] = [:]
    private var remaining: [Int: Int] = [:]
    private var emittedBySkip: [Int: Int] = [:]
    /// Chunks of the epoch's order read (or passed over) so far.
    private var read = 0

    init(chunkLength: Int, sampleSize: Int) {
        self.chunkLength = chunkLength
        self.sampleSize = sampleSize
    }

    /// Replays the first `images` of `order` without reading them; returns how many were replayed.
    mutating func replaySkipped(_ images: Int, order: inout EpochOrder) -> Int {
        var position = 0
        while position < images, let (image, _) = order.next() {
            emittedBySkip[image / chunkLength, default: 0] += 1
            position += 1
        }
        return position
    }

    /// Reads the chunks of `order` up to the `needed`-th.
    mutating func load(upTo needed: Int, order: EpochOrder, reader: DatasetReader) throws(DatasetError) {
        while read < needed {
            let c = order.chunkOrder[read]
            read += 1
            let images = order.images(ofChunk: c)
            let pending = images.count - (emittedBySkip.removeValue(forKey: c) ?? 0)
            guard pending > 0 else { continue }
            let data = UnsafeMutablePointer<Float>.allocate(capacity: images.count * sampleSize)
            slots[c] = data
            remaining[c] = pending
            try reader.read(start: images.lowerBound, count: images.count,
                            into: UnsafeMutableBufferPointer(start: data, count: images.count * sampleSize))
        }
    }

    /// Copies `image` (of a loaded chunk) to `output`; frees its chunk after its last image.
    mutating func copy(image: Int, to output: UnsafeMutablePointer<Float>, path: String) throws(DatasetError) {
        let c = image / chunkLength
        guard let data = slots[c], let left = remaining[c] else {
            throw DatasetError.invalid(path: path, problem: .chunkNotLoaded(chunk: c, image: image))
        }
        output.update(from: data + (image - c * chunkLength) * sampleSize, count: sampleSize)
        if left == 1 {
            data.deallocate()
            slots[c] = nil
            remaining[c] = nil
        } else {
            remaining[c] = left - 1
        }
    }

    /// Frees every chunk still held (an epoch stopped early).
    func deallocateAll() { for (_, p) in slots { p.deallocate() } }
}
