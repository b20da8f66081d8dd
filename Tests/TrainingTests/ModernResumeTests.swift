import Foundation
import GAN
import HDF5
import Testing
import Training
import _TestSupport

/// Resume with the modern recipe: the moving average, the augmentation
/// generator, adaptive augmentation's p and signal, and the spectral norms'
/// u vectors all come back, so the steps after the checkpoint are the
/// uninterrupted run's.
@Suite struct ModernResumeTests {
    static func options(_ dataset: String, steps: Int, checkpointEvery: Int? = nil, stream: Bool) -> TrainingOptions {
        var recipe = TrainingRecipe.everyPiece
        recipe.adaKimg = 0.05  // p moves visibly within a few steps
        recipe.emaKimg = 0.1
        recipe.discriminatorSteps = 2
        return TrainingOptions(dataset: dataset, model: .dcgan, latent: 16, featureMaps: 8, batch: 16, seed: 3, stream: stream,
                               steps: steps, sampleEvery: 4, checkpointEvery: checkpointEvery, threads: 1, recipe: recipe)
    }

    @Test(arguments: [false, true])
    func resumeGivesTheSameLossesEMAAndAugmentationProbability(stream: Bool) throws {
        let dir = try TestPaths.temporaryDirectory("modern-resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try demoDataset(count: 40, size: 32, in: dir)
        let whole = try TrainingRun(options: Self.options(dataset, steps: 11, stream: stream), directory: dir.appendingPathComponent("whole").path,
                                    resume: false)
        let reference = try whole.run()
        // Checkpoints after steps 3 and 6: neither on an adjustment of p (every 4 steps), so the gathered signal must come back too.
        let split = dir.appendingPathComponent("split").path
        _ = try TrainingRun(options: Self.options(dataset, steps: 6, checkpointEvery: 3, stream: stream), directory: split, resume: false).run()
        let resumed = try TrainingRun(options: Self.options(dataset, steps: 11, checkpointEvery: 3, stream: stream), directory: split, resume: true)
        #expect(resumed.resumedFrom == 6)
        let continued = try resumed.run()
        func losses(_ r: [LossRecord]) -> [[Float]] {
            r.map { [Float($0.step), $0.discriminatorLossReal, $0.discriminatorLossFake, $0.generatorLoss, $0.discriminatorAccuracy] }
        }
        #expect(losses(continued) == losses(reference))
        #expect(resumed.trainer.adaptive == whole.trainer.adaptive && whole.trainer.adaptive.probability > 0)
        let names = whole.trainer.checkpointTensors.map(\.name)
        #expect(names.contains { $0.hasPrefix("ema/generator/") } && names.contains { $0.hasSuffix("_sn_u") })
        for (a, b) in zip(whole.trainer.checkpointTensors, resumed.trainer.checkpointTensors) {
            #expect(a.name == b.name && a.tensor.array == b.tensor.array, "\(a.name) differs after resume")
        }
        // The end checkpoint holds the average, and a sampler built from it draws with it and its
        // standing statistics, as the trainer's grids and evaluations do.
        let checkpoint = try #require(resumed.checkpoints().first)
        let (generator, _) = try CheckpointSampler.generator(checkpoint: checkpoint, batch: 4)
        let ema = try #require(whole.trainer.ema)
        for (p, shadow) in zip(generator.parameters, ema.shadows) {
            #expect(p.value.array == shadow.value.array, "\(p.name) is not the moving average's")
        }
        let g = whole.trainer.models.generator
        let sampling = whole.trainer.withSamplingWeights { (g.parameters + g.state).map(\.value.array) }
        #expect((generator.parameters + generator.state).map(\.value.array) == sampling)
    }

    @Test func aResumeWithAnotherRecipeIsRefusedAndNamesIt() throws {
        let dir = try TestPaths.temporaryDirectory("recipe-mismatch")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try demoDataset(count: 32, size: 32, in: dir)
        let run = dir.appendingPathComponent("run").path
        _ = try TrainingRun(options: Self.options(dataset, steps: 2, stream: false), directory: run, resume: false).run()
        var other = Self.options(dataset, steps: 4, stream: false)
        other.recipe = .classic()
        #expect(throws: TrainingError.self) { _ = try TrainingRun(options: other, directory: run, resume: true) }
        do {
            _ = try TrainingRun(options: other, directory: run, resume: true)
        } catch {
            #expect("\(error)".contains("recipe"), "\(error)")
        }
    }
}
