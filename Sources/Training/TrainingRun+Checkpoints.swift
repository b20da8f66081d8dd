import Foundation
import GAN
import Support

/// A run's start, resume and checkpoints (through `RunDirectory` and its
/// `CheckpointStore` on the writing process; every replica loads the same
/// checkpoint to resume).
extension TrainingRun {
    /// Checkpoint files, newest first.
    public func checkpoints() -> [String] { Self.checkpoints(inRun: directory) }

    /// The step checkpoints (`checkpoints/step_*.h5`) of the run in `directory`, newest first.
    public static func checkpoints(inRun directory: String) -> [String] { CheckpointStore.checkpoints(inRun: directory) }

    func startFresh() throws(TrainingError) {
        guard CheckpointStore(run: directory).isEmpty else {
            throw .resume(.existingCheckpoints(directory: directory))
        }
        records = []
        try files?.start(config: config)
        try evaluation?.start(resumingAt: nil)
    }

    func restoreLatestCheckpoint() throws(TrainingError) {
        // Stray partial files from a killed run are never loaded (the lock says no run is writing one).
        files?.checkpoints.removePartials()
        let (_, state) = try CheckpointStore(run: directory).loadNewest(into: trainer.checkpointTensors, config: config)
        (step, epoch, batchInEpoch) = (state.step, state.epoch, state.batchInEpoch)
        state.restore(into: trainer)
        trainer.ema?.shadowsReplaced()
        elapsedBefore = state.elapsedSeconds
        resumedFrom = step
        guard let files else { return }
        records = try files.resume(config: config, at: step)
        try evaluation?.start(resumingAt: step)
    }

    /// Writes the step's checkpoint (`name` for another one, such as best.h5).
    func saveCheckpoint(name: String? = nil) throws(TrainingError) {
        guard let files else { return }
        let started = monotonicSeconds()
        let state = CheckpointState(trainer: trainer, step: step, epoch: epoch, batchInEpoch: batchInEpoch,
                                    elapsed: elapsedBefore + (monotonicSeconds() - runStart))
        try files.checkpoints.save(trainer.checkpointTensors, state: state, config: config, name: name, keep: config.keepCheckpoints)
        if name == nil {
            checkpointPolicy.wrote(started: started, now: monotonicSeconds())
            lastCheckpointStep = step
        }
    }

    /// Evaluates the generator (with a classifier; the moving average's weights when the recipe keeps
    /// one); the best FID so far is kept as checkpoints/best.h5.
    func evaluate() throws(TrainingError) {
        guard let evaluation else { return }
        let isBest = try trainer.withSamplingWeights { () throws(TrainingError) -> Bool in
            try evaluation.evaluate(step: step, epoch: epoch, generator: trainer.models.generator, latent: config.latent)
        }
        if isBest { try saveCheckpoint(name: "best.h5") }
    }

    /// Data-parallel runs: every replica's state digest, compared before
    /// each checkpoint (a collective call): replicas that drifted apart are
    /// an error, not a checkpoint.
    func checkReplicasAgree() throws(TrainingError) {
        guard let replicas else { return }
        let digests = replicas.gather(Array(trainer.stateDigest().utf8)).map { String(decoding: $0, as: UTF8.self) }
        if let failure = replicas.failure { throw .replicas(failure) }
        replicaDigests = digests
        if Set(digests).count > 1 {
            throw .diverged(.replicasDiffer(step: step, digests: digests))
        }
    }
}
