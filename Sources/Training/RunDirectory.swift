import Foundation
import Imaging
import Storage

/// What only the writing process of a run does (the only process, or
/// replica 0 of a data-parallel run): it holds the run directory's lock and
/// writes config.json, losses.csv, history.jsonl, the sample grids
/// (gan_images/, off the step loop), losses.png and the checkpoints. The
/// other replicas have none, so every write of the run goes through this seam.
final class RunDirectory {
    let path: String
    let checkpoints: CheckpointStore
    /// One run at a time in a run directory.
    private let lock: OutputLock
    /// Sample grids go to their files off the step loop.
    private let grids = ImageWriter()
    private var log: AppendFile?

    var imagesDirectory: String { path + "/gan_images" }
    var lossesPath: String { path + "/losses.csv" }
    var plotPath: String { path + "/losses.png" }

    /// Locks `path`, before anything in it is created, truncated or removed.
    init(path: String) throws(TrainingError) {
        self.path = path
        checkpoints = CheckpointStore(run: path)
        do { lock = try OutputLock.directory(path) } catch { throw .storage(error) }
    }

    /// Creates the run's folders (checkpoints/, gan_images/).
    func createFolders() throws(TrainingError) {
        do {
            for folder in [path, checkpoints.directory, imagesDirectory] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        } catch {
            throw .storage(.failed(path: path, operation: "create", reason: error.localizedDescription))
        }
    }

    /// A fresh run's files: losses.csv with its header, config.json, history.jsonl's start.
    func start(config: TrainingConfig) throws(TrainingError) {
        try writeText(LossRecord.csvHeader + "\n", to: lossesPath)
        try writeText(config.json + "\n", to: path + "/config.json")
        unlink(path + "/history.jsonl")
        try RunHistory.append(event: "start", step: 0, recipe: config.options.trainingRecipe, in: path)
    }

    /// A resumed run's files: losses.csv cut back to `step` (later steps are redone), config.json, the resume in
    /// history.jsonl. Returns the records kept.
    func resume(config: TrainingConfig, at step: Int) throws(TrainingError) -> [LossRecord] {
        let text = (try? String(contentsOfFile: lossesPath, encoding: .utf8)) ?? ""
        let records = text.split(separator: "\n").compactMap(LossRecord.init(csvLine:)).filter { $0.step <= step }
        try writeText(([LossRecord.csvHeader] + records.map(\.csvLine)).joined(separator: "\n") + "\n", to: lossesPath)
        try writeText(config.json + "\n", to: path + "/config.json")
        try RunHistory.append(event: "resume", step: step, recipe: config.options.trainingRecipe, in: path)
        return records
    }

    /// Appends a step's line to losses.csv (opened on first use).
    func append(_ record: LossRecord) throws(TrainingError) {
        do {
            if log == nil { log = try AppendFile(path: lossesPath) }
            try log?.appendLine(record.csvLine)
        } catch {
            throw .storage(error)
        }
    }

    /// Queues a sample grid for gan_images/`name`; throws an earlier grid's failure.
    func writeGrid(_ image: DecodedImage, name: String) throws(TrainingError) {
        try grids.write(image, to: imagesDirectory + "/" + name)
    }

    /// Waits for the queued grids; throws the first failure.
    func drainGrids() throws(TrainingError) { try grids.drain() }

    /// Draws losses.png from `records`.
    func writePlot(_ records: [LossRecord]) throws(TrainingError) {
        guard !records.isEmpty else { return }
        let png: [UInt8]
        do { png = try PNGEncoder.encode(LossPlot.render(records), fast: true) } catch { throw .output(path: plotPath, action: .encode, cause: error) }
        do { try FileWriting.replace(plotPath, with: png) } catch { throw .storage(error) }
    }

    /// Waits for the grids (a run that stopped on an error leaves them whole) and lets go of the directory.
    func close() {
        grids.wait()
        lock.release()
    }

    private func writeText(_ text: String, to file: String) throws(TrainingError) {
        do { try FileWriting.replace(file, withText: text) } catch { throw .storage(error) }
    }
}
