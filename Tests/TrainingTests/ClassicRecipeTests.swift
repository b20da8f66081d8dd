import Foundation
import GAN
import Testing
import Training
import _TestSupport

/// `--recipe classic` is the training ganprep shipped before the modern
/// recipe: the losses of its first steps, for fixed seeds, were written by
/// that release (`Fixtures/recipes/classic-losses.json`, made with
/// GANPREP_WRITE_CLASSIC_FIXTURE=1 before the trainer changed) and must come
/// back step for step.
@Suite(.serialized) struct ClassicRecipeTests {
    static let fixture = TestPaths.fixture("recipes/classic-losses.json")
    static let steps = 8

    /// The three pinned runs: DCGAN, conditional DCGAN, and the MLP with smoothed real labels.
    static func options(_ name: String, dataset: String) -> TrainingOptions {
        var options = TrainingOptions(dataset: dataset, model: name == "mlp" ? .mlp : .dcgan, latent: 32, featureMaps: 16, batch: 32,
                                      seed: 11, steps: steps, threads: 1, keepCheckpoints: 1)
        options.recipe = .classic()
        if name == "mlp" { options.realLabel = 0.9 }
        if name == "dcgan-conditional" { options.conditional = true }
        return options
    }

    static func losses(_ name: String, in dir: URL) throws -> [[Double]] {
        let dataset = name == "dcgan-conditional" ? try labelledDemoDataset(count: 96, size: 32, in: dir)
            : try demoDataset(count: 96, size: name == "mlp" ? 16 : 32, in: dir)
        let run = try TrainingRun(options: options(name, dataset: dataset), directory: dir.appendingPathComponent("run").path, resume: false)
        return try run.run().map {
            [$0.discriminatorLossReal, $0.discriminatorLossFake, $0.generatorLoss, $0.discriminatorAccuracy].map(Double.init)
        }
    }

    @Test(arguments: ["dcgan", "dcgan-conditional", "mlp"])
    func theClassicRecipeReproducesThePinnedLosses(name: String) throws {
        let dir = try TestPaths.temporaryDirectory("classic-\(name)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let measured = try Self.losses(name, in: dir)
        if ProcessInfo.processInfo.environment["GANPREP_WRITE_CLASSIC_FIXTURE"] == "1" {
            var all = (try? JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixture))) as? [String: [[Double]]] ?? [:]
            all[name] = measured
            try JSONSerialization.data(withJSONObject: all, options: [.prettyPrinted, .sortedKeys]).write(to: Self.fixture)
            return
        }
        let pinned = try #require((try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixture)) as? [String: [[Double]]])?[name])
        #expect(measured.count == pinned.count && pinned.count == Self.steps)
        // Another CPU's BLAS kernels sum in another order: a few ulps per step, far below any change of recipe.
        for (step, (got, want)) in zip(measured, pinned).enumerated() {
            for (a, b) in zip(got, want) where abs(a - b) > 1e-6 + 2e-4 * abs(b) {
                Issue.record("step \(step + 1): \(got) against the pinned \(want)")
                break
            }
        }
    }
}
