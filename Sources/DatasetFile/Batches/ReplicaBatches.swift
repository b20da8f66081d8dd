/// One replica's share of every global mini-batch of another source, for
/// data-parallel training: the global batches are the ones a single
/// process would see (same seed, same order), and replica `rank` of
/// `replicas` keeps rows [offset, offset + count) of each, as even a split
/// as possible. An epoch's last global batch is left out when it holds
/// fewer images than there are replicas (every replica needs at least one).
///
/// Each replica reads the global batch from the file and keeps its rows;
/// the shares it trains on are disjoint and together the whole batch.
public final class ReplicaBatches: BatchSource {
    /// The global batches this process takes its share of.
    public let global: BatchSource
    /// This process, from 0.
    public let rank: Int
    /// Processes sharing each global batch.
    public let replicas: Int
    /// Images per epoch: the global source's, less a last batch too small to share.
    public let count: Int
    /// Floats per image.
    public var sampleSize: Int { global.sampleSize }
    /// The global batch size (room `nextBatch` needs).
    public var batchSize: Int { global.batchSize }
    /// The size of the global batch the last `nextBatch` shared, and this replica's offset in it.
    public private(set) var lastGlobalCount = 0
    /// Where this process's share starts in the last global batch.
    public private(set) var lastOffset = 0
    /// The file indices of the images of the last batch, in batch order.
    public private(set) var lastIndices: [Int] = []
    private let buffer: UnsafeMutablePointer<Float>

    /// This process's share (`rank` of `replicas`) of every batch of `global`.
    public init(global: BatchSource, rank: Int, replicas: Int) {
        precondition(replicas >= 1 && rank >= 0 && rank < replicas && global.batchSize >= replicas,
                     "rank \(rank) of \(replicas) with global batch \(global.batchSize)")
        self.global = global
        self.rank = rank
        self.replicas = replicas
        let tail = global.count % global.batchSize
        count = tail > 0 && tail < replicas ? global.count - tail : global.count
        buffer = .allocate(capacity: global.batchSize * global.sampleSize)
    }

    deinit { buffer.deallocate() }

    /// Starts epoch `epoch`'s order, skipping its first `skip` batches (a resumed run).
    public func startEpoch(_ epoch: Int, skippingBatches skip: Int) throws(DatasetError) {
        try global.startEpoch(epoch, skippingBatches: skip)
    }

    /// Copies this replica's rows of the next global batch into `output`; 0 at the end of the epoch.
    public func nextBatch(into output: UnsafeMutablePointer<Float>) throws(DatasetError) -> Int {
        let n = try global.nextBatch(into: buffer)
        guard n >= replicas else { return 0 }
        let base = n / replicas, extra = n % replicas
        lastOffset = rank * base + Swift.min(rank, extra)
        let mine = base + (rank < extra ? 1 : 0)
        lastGlobalCount = n
        lastIndices = Array(global.lastIndices[lastOffset..<(lastOffset + mine)])
        output.update(from: buffer + lastOffset * sampleSize, count: mine * sampleSize)
        return mine
    }
}
