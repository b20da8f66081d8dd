import Dispatch
import Imaging
import Storage
import Synchronization

/// Encodes images as PNG and writes them (through a temporary name) on a
/// thread of its own, in submission order, so a training step never waits
/// for a sample grid's file. The first failure is reported by the next
/// `write` or by `drain`, and no later image is written.
final class ImageWriter: Sendable {
    private let queue = DispatchQueue(label: "ganprep.train.images")
    private let failure = Mutex<TrainingError?>(nil)

    /// Queues `image` for `path`; throws an earlier write's failure.
    func write(_ image: DecodedImage, to path: String) throws(TrainingError) {
        if let error = failure.withLock({ $0 }) { throw error }
        queue.async { [self] in
            guard failure.withLock({ $0 }) == nil else { return }
            do throws(TrainingError) {
                let png: [UInt8]
                do throws(ImageError) { png = try PNGEncoder.encode(image, fast: true) } catch { throw .output(path: path, action: .encode, cause: error) }
                do throws(StorageError) { try FileWriting.replace(path, with: png) } catch { throw .storage(error) }
            } catch {
                failure.withLock { if $0 == nil { $0 = error } }
            }
        }
    }

    /// Waits for every queued image; throws the first failure.
    func drain() throws(TrainingError) {
        wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Waits for every queued image (a run that stopped on an error still
    /// leaves its grids whole before it lets go of the directory).
    func wait() { queue.sync {} }
}
