import Foundation
import Support

/// The whole `/images` array in memory (the original approach), reshuffled
/// each epoch.
public final class InMemoryBatches: BatchSource {
    /// Images in the dataset.
    public let count: Int
    /// Floats per image.
    public let sampleSize: Int
    /// Images per batch (the last of an epoch may hold fewer).
    public let batchSize: Int
    /// Seeds each epoch's order (with the epoch number): the same seed, the same batches.
    public let seed: UInt64
    private let images: UnsafeMutablePointer<Float>
    private var order: [Int] = []
    private var position = 0
    /// The file indices of the images of the last batch, in batch order.
    public private(set) var lastIndices: [Int] = []

    /// Loads every image after checking it fits in available memory.
    /// - Throws: `DatasetError.invalid` naming the size and suggesting `--stream` when it does not fit,
    ///   or naming the first image with a NaN or infinite pixel.
    public init(reader: DatasetReader, batchSize: Int, seed: UInt64, memoryLimit: Int? = nil) throws(DatasetError) {
        count = reader.count
        sampleSize = reader.sampleSize
        self.batchSize = batchSize
        self.seed = seed
        let bytes = count * sampleSize * MemoryLayout<Float>.size
        let limit = memoryLimit ?? SystemMemory.usableBytes()
        guard bytes <= limit else {
            throw .invalid(path: reader.path, problem: .memory(count: count, neededMiB: bytes >> 20, availableMiB: limit >> 20))
        }
        images = .allocate(capacity: max(1, count * sampleSize))
        let step = max(1, reader.chunkLength)
        var start = 0
        while start < count {
            let n = min(step, count - start)
            let chunk = UnsafeMutableBufferPointer(start: images + start * sampleSize, count: n * sampleSize)
            try reader.read(start: start, count: n, into: chunk)
            // Refused at load, before step 1 (a streamed run finds them batch by batch).
            try reader.checkFinite(UnsafeBufferPointer(chunk), firstImage: start)
            start += n
        }
    }

    deinit { images.deallocate() }

    /// Starts epoch `epoch`'s order, skipping its first `skip` batches (a resumed run).
    public func startEpoch(_ epoch: Int, skippingBatches skip: Int) throws(DatasetError) {
        order = Array(0..<count)
        var random = epochGenerator(seed: seed, epoch: epoch)
        random.shuffle(&order)
        position = min(count, skip * batchSize)
    }

    /// Writes the next batch into `output`; returns its image count, 0 at the end of the epoch.
    public func nextBatch(into output: UnsafeMutablePointer<Float>) throws(DatasetError) -> Int {
        let n = min(batchSize, count - position)
        for k in 0..<n {
            (output + k * sampleSize).update(from: images + order[position + k] * sampleSize, count: sampleSize)
        }
        lastIndices = Array(order[position..<(position + n)])
        position += n
        return n
    }
}
