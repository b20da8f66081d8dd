import Foundation
import GAN
import Support
import Testing

@Suite struct ModernRecipeTests {
    static func trainer(_ recipe: TrainingRecipe, architecture: GANArchitecture = .dcgan) -> GANTrainer {
        let models = GANModels(architecture: architecture, height: 32, width: 32, channels: 1, latentSize: 8, featureMaps: 4,
                               spectralNorm: recipe.spectralNorm, seed: 1)
        return GANTrainer(models: models, recipe: recipe, seed: 1)
    }

    static func batch(_ seed: UInt64, count: Int = 6) -> Tensor {
        var random = SeededGenerator(seed: seed)
        let t = Tensor(shape: [count, 32, 32, 1])
        random.fillUniform(t, limit: 1)
        return t
    }

    @Test func theMovingAverageIsTheClosedFormWeightedAverageOfTheWeightsItSaw() throws {
        var recipe = TrainingRecipe.modern(for: .dcgan)
        recipe.emaKimg = 0.02  // a half-life of 20 images: β visibly below 1 after the ramp-up
        recipe.emaRampup = 0.5
        let trainer = Self.trainer(recipe)
        let ema = try #require(trainer.ema)
        let g = trainer.models.generator
        let live = g.parameters + g.state
        var seen: [[[Float]]] = [live.map(\.value.array)]
        for k in 0..<6 {
            _ = trainer.step(real: Self.batch(UInt64(k)))
            seen.append(live.map(\.value.array))
        }
        // e_k = Π b_j e_0 + Σ_i (1 − b_i) Π_{j>i} b_j w_i, b_i = 0.5^(6 / min(20, 0.5 · 6 (i − 1))) (0 at the first step).
        let betas = (1...6).map { i -> Double in
            let halfLife = min(20, 0.5 * 6 * Double(i - 1))
            return halfLife > 0 ? pow(0.5, 6 / halfLife) : 0
        }
        #expect(betas[0] == 0 && betas[5] > 0.5)
        for (t, shadow) in ema.shadows.enumerated() {
            for index in stride(from: 0, to: shadow.value.count, by: max(1, shadow.value.count / 50)) {
                var expected = seen[0][t][index] == 0 ? 0.0 : Double(seen[0][t][index]) * betas.reduce(1, *)
                for i in 1...6 {
                    expected += (1 - betas[i - 1]) * betas[i...].reduce(1, *) * Double(seen[i][t][index])
                }
                let got = Double(shadow.value.data[index])
                #expect(abs(got - expected) <= 1e-5 + 1e-4 * abs(expected), "\(shadow.name)[\(index)]: \(got) against \(expected)")
            }
        }
        // Samples come from the average, and the live weights are back afterwards.
        let z = Tensor(shape: [2, 8])
        let averaged = trainer.sample(noise: z).array
        #expect(live.map(\.value.array) == seen[6])
        let direct = ema.withAverage {
            StandingStatistics.recompute(g, latent: 8, classes: 0)
            return g.generate(noise: z, labels: nil).array
        }
        #expect(averaged == direct && averaged != g.generate(noise: z, labels: nil).array)
        // The averaged weights' statistics are kept until the average moves, then computed again.
        #expect(trainer.sample(noise: z).array == averaged)
        _ = trainer.step(real: Self.batch(7))
        let moved = ema.withAverage {
            StandingStatistics.recompute(g, latent: 8, classes: 0)
            return g.generate(noise: z, labels: nil).array
        }
        #expect(trainer.sample(noise: z).array == moved && moved != averaged)
    }

    @Test func standingStatisticsAreTheGeneratorsOwn() {
        let g = GANModels(architecture: .dcgan, height: 32, width: 32, channels: 1, latentSize: 8, featureMaps: 4, seed: 3).generator
        let norms = g.layers.compactMap { $0 as? BatchNorm }
        #expect(norms.count == 3)
        var random = SeededGenerator(seed: 77)
        let z = Tensor(shape: [1024, 8])
        random.fillNormal(z)
        // The mean distance between inference-mode samples and the same noise's samples normalised with their own batch.
        func fromBatchStatistics() -> Float {
            let inference = g.generate(noise: z, labels: nil).array
            for n in norms { n.updatesMovingStatistics = false }
            defer { for n in norms { n.updatesMovingStatistics = true } }
            let batch = g.generate(noise: z, labels: nil, training: true).array
            return zip(inference, batch).map { abs($0 - $1) }.reduce(0, +) / Float(batch.count)
        }
        // Statistics that are not this generator's (as an average of other weights' would be).
        for n in norms { n.movingMean.value.fill(0.5); n.movingVariance.value.fill(4) }
        let stale = fromBatchStatistics()
        StandingStatistics.recompute(g, latent: 8, classes: 0)
        let standing = fromBatchStatistics()
        #expect(stale > 0.02 && standing < stale / 10, "\(stale) \(standing)")
        // A function of the weights alone: whatever the statistics before, the same ones again.
        let first = norms.map { $0.movingMean.value.array + $0.movingVariance.value.array }
        for n in norms { n.movingMean.value.fill(-1) }
        StandingStatistics.recompute(g, latent: 8, classes: 0)
        #expect(norms.map { $0.movingMean.value.array + $0.movingVariance.value.array } == first)
    }

    @Test func adaptiveAugmentationRaisesPWhenDiscriminatorIsSureOfRealsAndLowersItOtherwise() {
        var recipe = TrainingRecipe.everyPiece
        recipe.adaKimg = 0.1
        var ada = AdaptiveAugment()
        for _ in 0..<4 { ada.record(signSum: 60, outputs: 64, images: 64, recipe: recipe) }
        #expect(abs(ada.probability - 256.0 / 100) < 1e-12 || ada.probability == 1)
        #expect(ada.lastSignal == 60.0 / 64)
        recipe.adaKimg = 1
        var lower = AdaptiveAugment()
        lower.probability = 0.5
        for _ in 0..<3 { lower.record(signSum: -10, outputs: 64, images: 64, recipe: recipe) }
        #expect(lower.probability == 0.5, "adjusted every 4 steps only")
        lower.record(signSum: -10, outputs: 64, images: 64, recipe: recipe)
        #expect(abs(lower.probability - (0.5 - 256.0 / 1000)) < 1e-12)
    }

    @Test(arguments: [AugmentMode.diffaug, .ada])
    func aModernStepTrainsAndItsGeneratorGradientComesThroughTheAugmentation(mode: AugmentMode) {
        var recipe = TrainingRecipe.everyPiece
        recipe.augment = mode
        recipe.adaKimg = 0.05
        recipe.discriminatorSteps = 2
        let trainer = Self.trainer(recipe)
        #expect(!trainer.models.discriminator.layers.contains { $0 is BatchNorm }, "no BatchNorm in a spectrally normalised D")
        let before = trainer.models.generator.parameters.map(\.value.array)
        for k in 0..<8 {
            let result = trainer.step(real: Self.batch(UInt64(k)))
            #expect(result.discriminatorLossReal.isFinite && result.generatorLoss.isFinite)
        }
        #expect(trainer.models.generator.parameters.map(\.value.array) != before)
        #expect(trainer.discriminatorOptimizer.iterations == 16 && trainer.generatorOptimizer.iterations == 8)
        if mode == .ada { #expect(trainer.adaptive.lastSignal != nil) }
    }
}
