import Foundation
import Support

/// Mini-batches of a dataset, epoch by epoch, in a shuffled order that
/// depends only on the seed and the epoch, so a resumed run sees the same
/// batches as an uninterrupted one. Every image appears exactly once per
/// epoch; the last batch of an epoch may be smaller.
public protocol BatchSource: AnyObject {
    /// Images in the dataset.
    var count: Int { get }
    /// Floats per image (H * W * C).
    var sampleSize: Int { get }
    var batchSize: Int { get }
    /// Starts `epoch`, skipping its first `skip` batches.
    func startEpoch(_ epoch: Int, skippingBatches skip: Int) throws(DatasetError)
    /// Copies the next batch into `output` (room for `batchSize` images) and
    /// returns how many images it holds; 0 when the epoch is over.
    func nextBatch(into output: UnsafeMutablePointer<Float>) throws(DatasetError) -> Int
}

extension BatchSource {
    /// Batches per epoch, the last one possibly partial.
    public var batchesPerEpoch: Int { (count + batchSize - 1) / batchSize }
}

/// The epoch's generator: a stream of its own for every (seed, epoch).
func epochGenerator(seed: UInt64, epoch: Int) -> SeededGenerator {
    SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
}

/// The whole `/images` array in memory (the original approach), reshuffled
/// each epoch.
public final class InMemoryBatches: BatchSource {
    public let count: Int
    public let sampleSize: Int
    public let batchSize: Int
    public let seed: UInt64
    private let images: UnsafeMutablePointer<Float>
    private var order: [Int] = []
    private var position = 0

    /// Loads every image after checking it fits in available memory.
    /// - Throws: `DatasetError.invalid` naming the size and suggesting `--stream` when it does not fit.
    public init(reader: DatasetReader, batchSize: Int, seed: UInt64, memoryLimit: Int? = nil) throws(DatasetError) {
        count = reader.count
        sampleSize = reader.sampleSize
        self.batchSize = batchSize
        self.seed = seed
        let bytes = count * sampleSize * MemoryLayout<Float>.size
        let limit = memoryLimit ?? Int(Double(SystemMemory.availableBytes()) * 0.8)
        guard bytes <= limit else {
            throw .invalid(path: reader.path, reason: "\(count) images need \(bytes >> 20) MiB in memory, more than the \(limit >> 20) MiB available; train with --stream to read mini-batches from the file instead")
        }
        images = .allocate(capacity: max(1, count * sampleSize))
        let step = max(1, reader.chunkLength)
        var start = 0
        while start < count {
            let n = min(step, count - start)
            try reader.read(start: start, count: n, into: UnsafeMutableBufferPointer(start: images + start * sampleSize, count: n * sampleSize))
            start += n
        }
    }

    deinit { images.deallocate() }

    public func startEpoch(_ epoch: Int, skippingBatches skip: Int) throws(DatasetError) {
        order = Array(0..<count)
        var random = epochGenerator(seed: seed, epoch: epoch)
        random.shuffle(&order)
        position = min(count, skip * batchSize)
    }

    public func nextBatch(into output: UnsafeMutablePointer<Float>) throws(DatasetError) -> Int {
        let n = min(batchSize, count - position)
        for k in 0..<n {
            (output + k * sampleSize).update(from: images + order[position + k] * sampleSize, count: sampleSize)
        }
        position += n
        return n
    }
}

/// Available memory, from the kernel.
public enum SystemMemory {
    /// MemAvailable from /proc/meminfo (bytes), or 4 GiB when unknown.
    public static func availableBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return 4 << 30 }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        return 4 << 30
    }

    /// This process's peak resident set size in bytes (VmHWM).
    public static func peakResidentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
        }
        return 0
    }
}
