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
    /// The file indices of the last `nextBatch`'s images, in row order (to
    /// look up their labels).
    var lastIndices: [Int] { get }
}

extension BatchSource {
    /// Batches per epoch, the last one possibly partial.
    public var batchesPerEpoch: Int { (count + batchSize - 1) / batchSize }
}

/// The epoch's generator: a stream of its own for every (seed, epoch).
func epochGenerator(seed: UInt64, epoch: Int) -> SeededGenerator {
    SeededGenerator(seed: seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(epoch + 1))
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

    /// What one process may take for data held in memory: 80% of `availableBytes()`.
    public static func usableBytes() -> Int { Int(Double(availableBytes()) * 0.8) }

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
