import Foundation
import GAN
import Testing
@testable import Training
import _TestSupport

/// The recipe's learning-rate decay: constant rates until the last part of
/// the budget, then a linear fall to zero at its end, on steps or on time.
@Suite struct LearningRateDecayTests {
    static func options(_ dataset: String, steps: Int? = 8, decay: Double, timeLimitMinutes: Double? = nil,
                        checkpointEvery: Int? = nil) -> TrainingOptions {
        var recipe = TrainingRecipe.modern(for: .dcgan)
        recipe.learningRateDecay = decay
        return TrainingOptions(dataset: dataset, model: .dcgan, latent: 16, featureMaps: 8, batch: 16, seed: 5, epochs: 1_000_000,
                               steps: steps, checkpointEvery: checkpointEvery, threads: 1, keepCheckpoints: 10,
                               timeLimitMinutes: timeLimitMinutes, recipe: recipe)
    }

    @Test func theScaleIsOneUntilTheLastPartThenFallsLinearlyToZero() {
        var recipe = TrainingRecipe.modern(for: .dcgan)
        #expect(recipe.learningRateDecay == 0.3 && TrainingRecipe.modern(for: .mlp).learningRateDecay == 0 && TrainingRecipe.classic().learningRateDecay == 0)
        recipe.learningRateDecay = 0
        #expect([0, 0.5, 0.99, 1, 2].allSatisfy { recipe.learningRateScale(atFraction: $0) == 1 }, "no decay: constant rates")
        recipe.learningRateDecay = 0.25
        for (fraction, scale) in [(0.0, 1.0), (0.75, 1.0), (0.8125, 0.75), (0.875, 0.5), (1.0, 0.0), (1.5, 0.0)] {
            #expect(abs(recipe.learningRateScale(atFraction: fraction) - scale) < 1e-12, "at \(fraction)")
        }
        #expect(recipe.summary.hasSuffix(", rates decay to 0 over the last 25% of the budget"), "\(recipe.summary)")
    }

    @Test func aRunsRatesFollowItsStepsAndItsStepsBeforeTheDecayAreAnUndecayedRunsOwn() throws {
        let dir = try TestPaths.temporaryDirectory("lr-decay-steps")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try demoDataset(count: 32, size: 32, in: dir)
        let decayed = try TrainingRun(options: Self.options(dataset, decay: 0.5), directory: dir.appendingPathComponent("decayed").path, resume: false)
        var rates: [(g: Float, d: Float)] = []
        let records = try decayed.run { _ in
            rates.append((decayed.trainer.generatorOptimizer.learningRate, decayed.trainer.discriminatorOptimizer.learningRate))
        }
        // After step k of 8 the next step's rates are min(1, (1 - k/8) / 0.5) of the recipe's: 1 up to step 4, then 0.75, 0.5, 0.25, 0.
        let scales: [Float] = [1, 1, 1, 1, 0.75, 0.5, 0.25, 0]
        #expect(rates.count == 8)
        for (k, (rate, scale)) in zip(rates, scales).enumerated() {
            #expect(abs(rate.g - 8e-4 * scale) < 1e-9 && abs(rate.d - 2e-4 * scale) < 1e-9, "after step \(k + 1): \(rate)")
        }
        let plain = try TrainingRun(options: Self.options(dataset, decay: 0), directory: dir.appendingPathComponent("plain").path, resume: false).run()
        func losses(_ r: LossRecord) -> [Float] { [r.discriminatorLossReal, r.discriminatorLossFake, r.generatorLoss] }
        // Steps 1-5 update with the full rates, so the losses up to step 5 are the same; step 6's D update is the first slower one.
        #expect(records.prefix(5).map(losses) == plain.prefix(5).map(losses))
        #expect(losses(records[6]) != losses(plain[6]))
    }

    @Test func onATimeLimitTheLargerFractionOfTimeAndStepsDecides() throws {
        let dir = try TestPaths.temporaryDirectory("lr-decay-time")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try demoDataset(count: 32, size: 32, in: dir)
        let run = try TrainingRun(options: Self.options(dataset, steps: 100, decay: 1, timeLimitMinutes: 2),
                                  directory: dir.appendingPathComponent("fractions").path, resume: false)
        #expect(run.budgetFraction(atSeconds: 0) == 0 && run.budgetFraction(atSeconds: 60) == 0.5 && run.budgetFraction(atSeconds: 180) == 1.5)
        run.step = 75
        #expect(run.budgetFraction(atSeconds: 60) == 0.75, "the steps' fraction when it is the larger")

        // A run on time alone, decaying over its whole budget: the rates fall with its clock, to 0 after the step that crosses the limit.
        let timed = try TrainingRun(options: Self.options(dataset, steps: nil, decay: 1, timeLimitMinutes: 0.02),
                                    directory: dir.appendingPathComponent("timed").path, resume: false)
        var rates: [Float] = []
        try timed.run { _ in rates.append(timed.trainer.generatorOptimizer.learningRate) }
        #expect(timed.timeIsUp && rates.count >= 2)
        #expect(rates.first! < 8e-4 && rates.last! == 0 && zip(rates, rates.dropFirst()).allSatisfy { $0 >= $1 }, "\(rates)")
    }

    @Test func aResumeTakesUpTheDecayedRatesWhereTheRunLeftThem() throws {
        let dir = try TestPaths.temporaryDirectory("lr-decay-resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try demoDataset(count: 32, size: 32, in: dir)
        let options = Self.options(dataset, steps: 11, decay: 0.5, checkpointEvery: 3)
        let wholePath = dir.appendingPathComponent("whole").path, splitPath = dir.appendingPathComponent("split").path
        let whole = try TrainingRun(options: options, directory: wholePath, resume: false)
        let reference = try whole.run()
        // The same budget cut after step 8, as a kill would (the rates fell from step 6 on): its checkpoints after step 6 gone.
        try FileManager.default.copyItem(atPath: wholePath, toPath: splitPath)
        for step in [9, 11] { try FileManager.default.removeItem(atPath: splitPath + String(format: "/checkpoints/step_%09d.h5", step)) }
        let resumed = try TrainingRun(options: options, directory: splitPath, resume: true)
        #expect(resumed.resumedFrom == 6)
        let continued = try resumed.run()
        func losses(_ r: [LossRecord]) -> [[Float]] { r.map { [Float($0.step), $0.discriminatorLossReal, $0.discriminatorLossFake, $0.generatorLoss] } }
        #expect(losses(continued) == losses(reference))
        #expect(resumed.trainer.generatorOptimizer.learningRate == whole.trainer.generatorOptimizer.learningRate)
        for (a, b) in zip(whole.trainer.checkpointTensors, resumed.trainer.checkpointTensors) {
            #expect(a.name == b.name && a.tensor.array == b.tensor.array, "\(a.name) differs after resume")
        }
    }
}
