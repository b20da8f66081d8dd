import Foundation
import GAN
import HDF5
import Support

/// A run's `checkpoints/` folder: step checkpoints (`step_NNNNNNNNN.h5`,
/// newest kept), `best.h5`, and finding the newest one a resumed run can load.
final class CheckpointStore {
    let directory: String

    init(run: String) { directory = run + "/checkpoints" }

    /// The step checkpoints of the run in `run`, newest first.
    static func checkpoints(inRun run: String) -> [String] {
        let folder = run + "/checkpoints"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("step_") && $0.hasSuffix(".h5") }.sorted(by: >).map { folder + "/" + $0 }
    }

    /// Whether any checkpoint is there (a fresh run must not write over them).
    var isEmpty: Bool { !((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).contains { $0.hasSuffix(".h5") } }

    /// Writes `tensors` with `state` as the step's checkpoint (or as `name`, such as best.h5), renamed only
    /// when complete; for a step checkpoint, keeps the newest `keep`.
    func save(_ tensors: [(name: String, tensor: Tensor)], state: CheckpointState, config: TrainingConfig, name given: String? = nil,
              keep: Int) throws(TrainingError) {
        let name = given ?? String(format: "step_%09d.h5", state.step)
        let temporary = directory + "/." + name + ".\(getpid()).partial"
        // A crash never leaves a half checkpoint that resume would load.
        try TensorStore.saveReplacing(tensors, attributes: state.attributes(config: config), to: directory + "/" + name,
                                      temporary: temporary, what: "checkpoint")
        guard given == nil else { return }
        for old in Self.checkpoints(inRun: (directory as NSString).deletingLastPathComponent).dropFirst(max(1, keep)) { unlink(old) }
    }

    /// Removes partial files a killed run left (the run's lock says no run is writing one).
    func removePartials() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(".partial") {
            unlink(directory + "/" + name)
        }
    }

    /// Loads the newest checkpoint that `config`'s run can continue into `tensors`; a damaged one is passed over
    /// for the one before it, one of another configuration is an error.
    /// - Throws: `.resume` naming the mismatch, or when no checkpoint can be loaded.
    func loadNewest(into tensors: [(name: String, tensor: Tensor)], config: TrainingConfig) throws(TrainingError) -> (path: String, state: CheckpointState) {
        var problems: [ResumeProblem.Attempt] = []
        let run = (directory as NSString).deletingLastPathComponent
        for path in Self.checkpoints(inRun: run) {
            // The configuration first: a run of another shape is an error, not a damaged file.
            let read: TrainingConfig?
            do { read = try TrainingConfig.from(checkpoint: path) } catch {
                guard case let .checkpoint(problem) = error else { throw error }
                problems.append(.configuration(problem))
                continue
            }
            guard let saved = read else { problems.append(.noConfiguration(path: path)); continue }
            let mismatches = saved.resumeMismatches(config)
            guard mismatches.isEmpty else {
                throw .resume(.mismatch(checkpoint: path, mismatches))
            }
            do {
                return (path, CheckpointState(attributes: try TensorStore.load(tensors, from: path)))
            } catch {
                problems.append(.tensors(path: path, cause: error))
            }
        }
        throw .resume(.nothingToResume(directory: directory, attempts: problems))
    }
}
