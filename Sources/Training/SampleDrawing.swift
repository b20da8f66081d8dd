import DatasetFile
import Foundation
import GAN
import Imaging
import Pack
import Storage
import Support

/// Images drawn from a checkpoint's generator, as `sample` draws them:
/// `count` per row, a row per class (`rows` of class indices) or one row
/// (nil: a conditional generator's classes drawn evenly, or an unconditional
/// generator), the same noise in each row's columns, in batches of 256.
public struct SampleDrawing {
    /// The checkpoint's generator.
    public let generator: Sequential
    /// The checkpoint's run configuration (latent size, classes).
    public let config: TrainingConfig
    /// The class of each row; nil for a row of evenly drawn classes (or none).
    public let rows: [Int32?]
    /// Images per row.
    public let count: Int
    /// Seeds the noise (and an evenly drawn row's classes).
    public let seed: UInt64

    /// Images the largest batch holds.
    public static let batch = 256

    /// A drawing of `count` images per row of `rows`.
    public init(generator: Sequential, config: TrainingConfig, rows: [Int32?], count: Int, seed: UInt64) {
        self.generator = generator
        self.config = config
        self.rows = rows
        self.count = count
        self.seed = seed
    }

    /// Images drawn in all: `count` per row.
    public var total: Int { count * rows.count }

    /// Calls `body` with each batch of images [n, H, W, C] and their classes
    /// (nil for an unconditional generator), rows in order, columns in order.
    public func forEachBatch(_ body: (Tensor, [Int32]?) throws -> Void) rethrows {
        var random = SeededGenerator(seed: seed)
        let columns = Tensor(shape: [count, config.latent])
        random.fillNormal(columns)
        let even = config.classes > 0 ? ClassDistribution.even(classes: config.classes) : nil
        for row in rows {
            var at = 0
            while at < count {
                let n = Swift.min(Self.batch, count - at)
                let z = Tensor(shape: [n, config.latent])
                z.data.update(from: columns.data + at * config.latent, count: n * config.latent)
                var labels: [Int32]?
                if let even { labels = row.map { Array(repeating: $0, count: n) } ?? even.draw(n, using: &random) }
                try body(generator.generate(noise: z, labels: labels), labels)
                at += n
            }
        }
    }
}

/// Generated images written as a ganprep-layout dataset (`sample --out-h5`):
/// a temporary file beside `path`, renamed when finished, removed on failure.
public final class GeneratedDataset {
    /// The dataset written.
    public let path: String
    private let writer: DatasetWriter
    private let temporary: String
    private let names: [String]
    private var finished = false

    /// - Parameter names: the generator's class names (empty for an unconditional one).
    public init(path: String, config: TrainingConfig, names: [String], createdBy: String) throws(TrainingError) {
        self.path = path
        self.names = names
        temporary = "\(path).\(getpid()).partial"
        var options = DatasetWriterOptions(size: ImageSize(width: config.width, height: config.height), channels: config.channels,
                                           resizeMode: .stretch, createdBy: createdBy, labels: names.isEmpty ? .none : .description)
        options.labelNames = names.isEmpty ? nil : names
        // The path was checked (OutputTarget): a file that cannot be created is the machine's failure, not the user's.
        do { writer = try DatasetWriter(path: temporary, options: options) } catch { throw .output(path: path, action: .create, cause: error) }
    }

    deinit { if !finished { unlink(temporary) } }

    /// Appends a batch of images [n, H, W, C] with their classes (nil: unconditional).
    public func append(_ images: Tensor, labels: [Int32]?) throws(TrainingError) {
        let infos = (labels ?? Array(repeating: -1, count: images.batch)).map {
            SampleInfo(description: $0 >= 0 ? names[Int($0)] : "generated", url: "", sha256: "", label: $0 >= 0 ? names[Int($0)] : nil)
        }
        do { try writer.append(UnsafeBufferPointer(start: images.data, count: images.count), infos: infos) } catch {
            throw .output(path: path, action: .write, cause: error)
        }
    }

    /// Closes the file and renames it onto `path`.
    public func finish() throws(TrainingError) {
        do {
            _ = try writer.finish(seconds: 0, failed: 0)
            try OutputTarget.checkReplaceable(path)
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            throw .output(path: path, action: .write, cause: error)
        }
        guard rename(temporary, path) == 0 else { throw .storage(.from(errno: errno, path: path, operation: "rename the dataset into")) }
        finished = true
    }
}
