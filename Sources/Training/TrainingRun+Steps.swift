import DatasetFile
import Foundation
import GAN
import Support

/// The step loop: a batch, a step, its log line, grids, checkpoints,
/// evaluations and the stop on a signal, until `totalSteps`.
extension TrainingRun {
    /// Trains until `totalSteps`; returns the loss records of the whole run.
    /// The run directory is released when this returns, whatever happened.
    @discardableResult
    public func run(progress: ((TrainingProgress) -> Void)? = nil) throws(TrainingError) -> [LossRecord] {
        defer { files?.close() }
        runStart = monotonicSeconds()
        checkpointPolicy = CheckpointPolicy(everySteps: config.checkpointEvery, minutes: config.checkpointMinutes, replicated: replicas != nil,
                                            checkpointBytes: trainer.checkpointTensors.reduce(0) { $0 + $1.tensor.count * 4 }, now: runStart)
        lastCheckpointStep = resumedFrom ?? -1
        let batches = StepBatches(batch: config.batch, shape: [reader.height, reader.width, reader.channels])
        if step < totalSteps {
            do { try source.startEpoch(epoch, skippingBatches: batchInEpoch) } catch { throw .datasetFile(error) }
        }
        var speed = SpeedWindow()
        // A fresh run's first evaluation is of the untrained generator (step 0).
        if step == 0 && evaluation?.isEmpty == true && totalSteps > 0 { try evaluate() }
        trainer.learningRateScale = rateScale(atSeconds: elapsedBefore)
        while step < totalSteps && !timeIsUp {
            let (result, images) = try trainOneStep(batches)
            let epochEnded = try recordStep(result)
            timeIsUp = try budgetAfterStep(atSeconds: records.last?.seconds ?? 0)
            try afterStep(epochEnded: epochEnded)
            progress?(TrainingProgress(step: step, totalSteps: totalSteps, epoch: epoch, batchInEpoch: batchInEpoch,
                                       batchesPerEpoch: source.batchesPerEpoch, last: result,
                                       imagesPerSecond: speed.add(images, now: monotonicSeconds()), epochEnded: epochEnded))
            if epochEnded && step < totalSteps && !timeIsUp {
                do { try source.startEpoch(epoch, skippingBatches: 0) } catch { throw .datasetFile(error) }
            }
        }
        if config.sampleEvery == nil && batchInEpoch > 0 { try writeGrid(name: String(format: "step_%06d.png", step)) }
        try files?.drainGrids()
        try writePlot()
        return records
    }

    /// Reads the next batch, refuses non-finite pixels, and takes one step; returns its losses and the global batch's images.
    func trainOneStep(_ batches: StepBatches) throws(TrainingError) -> (StepResult, Int) {
        let n: Int
        do { n = try source.nextBatch(into: batches.full.data) } catch { throw .datasetFile(error) }
        guard n > 0 else { throw .dataset(.shortEpoch(path: config.dataset, epoch: epoch, batches: batchInEpoch, expected: source.batchesPerEpoch)) }
        if let bad = Self.firstNonFinite(batches.full.data, count: n * source.sampleSize) {
            throw .dataset(.nonFiniteBatch(path: config.dataset, step: step + 1, epoch: epoch + 1, value: bad))
        }
        let shared = source as? ReplicaBatches
        let result = trainer.step(real: batches.real(count: n), labels: conditioning?.labels(of: source.lastIndices),
                                  globalBatch: shared?.lastGlobalCount, offset: shared?.lastOffset ?? 0)
        if let failure = replicas?.failure { throw .replicas(failure) }
        if step == (resumedFrom ?? 0) { afterFirstStep?(trainer) }
        let losses = [result.discriminatorLossReal, result.discriminatorLossFake, result.generatorLoss]
        guard losses.allSatisfy(\.isFinite) else {
            throw .diverged(.losses(step: step + 1, losses))
        }
        return (result, shared?.lastGlobalCount ?? n)
    }

    /// Counts the step, logs its line and writes the grids it calls for; returns whether its epoch ended.
    func recordStep(_ result: StepResult) throws(TrainingError) -> Bool {
        step += 1
        batchInEpoch += 1
        var record = LossRecord(step: step, epoch: epoch, discriminatorLossReal: result.discriminatorLossReal,
                                discriminatorLossFake: result.discriminatorLossFake, generatorLoss: result.generatorLoss,
                                discriminatorAccuracy: result.discriminatorAccuracy, seconds: elapsedBefore + monotonicSeconds() - runStart)
        record.augmentProbability = Float(trainer.adaptive.probability)
        records.append(record)
        try files?.append(record)
        let epochEnded = batchInEpoch >= source.batchesPerEpoch
        if let every = config.sampleEvery, step % every == 0 { try writeGrid(name: String(format: "step_%06d.png", step)) }
        if epochEnded {
            if config.sampleEvery == nil { try writeGrid(name: String(format: "epoch_%04d.png", epoch + 1)) }
            epoch += 1
            batchInEpoch = 0
        }
        return epochEnded
    }

    /// After a step: whether `--time-limit` has passed at `seconds`, the run's training time when the step
    /// ended (what losses.csv logs for it, a resumed run's earlier time counted; the grid an epoch's end
    /// draws counts toward the next step), so the run ends after the step whose logged time crosses
    /// the limit; and the recipe's learning-rate scale for the next step. In a data-parallel run, rank 0's
    /// clock decides both for all, so every process stops after the same step with the same rates.
    func budgetAfterStep(atSeconds seconds: Double) throws(TrainingError) -> Bool {
        let scale = rateScale(atSeconds: seconds)
        guard let minutes = config.timeLimitMinutes else {
            trainer.learningRateScale = scale
            return false
        }
        var shared: [Float] = [seconds >= minutes * 60 ? 1 : 0, scale]
        if let replicas {
            shared.withUnsafeMutableBufferPointer { replicas.broadcast($0, from: 0) }
            if let failure = replicas.failure { throw .replicas(failure) }
        }
        trainer.learningRateScale = shared[1]
        return shared[0] != 0
    }

    /// How far through its budget the run is after `step` steps and `seconds` of training: the larger of
    /// the steps' fraction (of `--steps` or `--epochs`) and the time limit's.
    func budgetFraction(atSeconds seconds: Double) -> Double {
        let byTime = config.timeLimitMinutes.map { seconds / ($0 * 60) } ?? 0
        return max(Double(step) / Double(max(1, totalSteps)), byTime)
    }

    /// The recipe's learning-rate scale after `step` steps and `seconds` of training (`--lr-decay`).
    func rateScale(atSeconds seconds: Double) -> Float {
        Float(trainer.recipe.learningRateScale(atFraction: budgetFraction(atSeconds: seconds)))
    }

    /// Checkpoints, the stop on SIGINT or SIGTERM (after a checkpoint of this step), and evaluations.
    func afterStep(epochEnded: Bool) throws(TrainingError) {
        let isLast = step == totalSteps || timeIsUp
        switch checkpointPolicy.decide(step: step, epochEnded: epochEnded, isLast: isLast, now: monotonicSeconds()) {
        case .together:
            try checkReplicasAgree()
            try saveCheckpoint()
        case .alone: try saveCheckpoint()
        case .skip: break
        }
        if writes, let signal = StopRequest.signal {
            if lastCheckpointStep != step { try saveCheckpoint() }
            try files?.drainGrids()
            try writePlot()
            throw .interrupted(signal: signal, step: step, checkpoint: checkpoints().first ?? "")
        }
        let evaluateNow = config.evalEvery.map { step % $0 == 0 } ?? epochEnded
        if evaluation != nil && (evaluateNow || isLast) { try evaluate() }
    }

    /// Draws the sample grid now (this step's weights); it is encoded and written off the step loop.
    func writeGrid(name: String) throws(TrainingError) {
        guard let files else { return }
        try files.writeGrid(sampleGrid(), name: name)
    }
}

/// The tensors a run's batches are read into: the full batch, and one of
/// the last, shorter batch's size when the data ends before a full one.
final class StepBatches {
    let full: Tensor
    private var partial: Tensor?

    init(batch: Int, shape: [Int]) { full = Tensor(shape: [batch] + shape) }

    /// The batch of `count` images just read into `full`.
    func real(count: Int) -> Tensor {
        guard count < full.batch else { return full }
        let p = partial?.batch == count ? partial! : Tensor(shape: [count] + full.shape.dropFirst())
        p.data.update(from: full.data, count: p.count)
        partial = p
        return p
    }
}

/// Images per second over the last five seconds or so.
struct SpeedWindow {
    private var start = monotonicSeconds()
    private var images = 0

    /// Counts `count` images at `now`; returns the rate of the current window.
    mutating func add(_ count: Int, now: Double) -> Double {
        images += count
        let rate = Double(images) / max(now - start, 1e-9)
        if now - start > 5 { start = now; images = 0 }
        return rate
    }
}
