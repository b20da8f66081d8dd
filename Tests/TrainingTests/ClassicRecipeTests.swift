import Foundation
import GAN
import Testing
import Training
import _TestSupport

/// `--recipe classic` is the training ganprep shipped before the modern
/// recipe: the losses of its first steps, for fixed seeds, were written by
/// that release (`Fixtures/recipes/classic-losses.json`, made with
/// GANPREP_WRITE_CLASSIC_FIXTURE=1 before the trainer changed) and must come
/// back step for step through `train --recipe classic`.
///
/// OpenBLAS picks its kernels by CPU, and each family sums in its own order:
/// on another CPU the same run drifts by 1e-3 within eight steps (an AMD Zen 4
/// against the Xeon that wrote the fixture). So the binary runs with OpenBLAS's
/// generic kernels (`OPENBLAS_CORETYPE=PRESCOTT`, what Debian's OpenBLAS chose
/// on that Xeon), whose results are the same on every x86-64 CPU.
@Suite(.serialized) struct ClassicRecipeTests {
    static let fixture = TestPaths.fixture("recipes/classic-losses.json")
    static let steps = 8

    /// The three pinned runs: DCGAN, conditional DCGAN, and the MLP with smoothed real labels.
    static func arguments(_ name: String) -> [String] {
        ["--model", name == "mlp" ? "mlp" : "dcgan", "--latent", "32", "--feature-maps", "16", "--batch", "32", "--seed", "11",
         "--steps", "\(steps)", "--threads", "1", "--recipe", "classic", "--quiet"]
            + (name == "mlp" ? ["--real-label", "0.9"] : []) + (name == "dcgan-conditional" ? ["--conditional"] : [])
    }

    static func losses(_ name: String, in dir: URL) throws -> [[Double]] {
        let dataset = name == "dcgan-conditional" ? try labelledDemoDataset(count: 96, size: 32, in: dir)
            : try demoDataset(count: 96, size: name == "mlp" ? 16 : 32, in: dir)
        let run = dir.appendingPathComponent("run").path
        let trained = try ProcessRunner.run(ProcessRunner.productsDirectory.appendingPathComponent("ganprep").path,
                                            ["train", dataset, "--out", run] + arguments(name), environment: ["OPENBLAS_CORETYPE": "PRESCOTT"])
        #expect(trained.status == 0, "\(trained.stderr)")
        return try String(contentsOfFile: run + "/losses.csv", encoding: .utf8).split(separator: "\n").compactMap(LossRecord.init(csvLine:)).map {
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
        // The same kernels: the same sums, a float's rounding apart at most.
        for (step, (got, want)) in zip(measured, pinned).enumerated() {
            for (a, b) in zip(got, want) where abs(a - b) > 1e-7 + 1e-6 * abs(b) {
                Issue.record("step \(step + 1): \(got) against the pinned \(want)")
                break
            }
        }
    }
}
