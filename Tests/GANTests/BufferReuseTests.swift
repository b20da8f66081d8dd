@testable import GAN
import Support
import Testing

/// Layer buffers across batch sizes: a smaller batch runs in the front of
/// the larger one's memory, and neither batch's results depend on the other.
struct BufferReuseTests {
    private static func noise(_ rows: Int, seed: UInt64) -> Tensor {
        var random = SeededGenerator(seed: seed)
        let z = Tensor(shape: [rows, 8])
        random.fillNormal(z)
        return z
    }

    @Test func tensorsAreOnCacheLines() {
        for count in [1, 3, 17, 1000, 70_000] {
            let t = Tensor(shape: [count])
            #expect(Int(bitPattern: t.data) % 64 == 0, "\(count) elements at \(t.data)")
        }
    }

    @Test func aSmallerBatchUsesTheLargerOnesMemory() {
        let view = Tensor(shape: [4, 6])
        let front = reuse(view, [2, 6])
        #expect(front.data == view.data && front.shape == [2, 6] && front.count == 12)
        // Back to the full shape: the owner itself; larger than the memory: a new tensor.
        #expect(reuse(front, [4, 6]) === view)
        let larger = reuse(front, [5, 6])
        #expect(larger.data != view.data && larger.count == 30)
        #expect(larger.array.allSatisfy { $0 == 0 })
    }

    @Test(arguments: [GANArchitecture.mlp, .dcgan])
    func samplingBetweenStepsChangesNeitherTheSamplesNorTheSteps(architecture: GANArchitecture) {
        func models() -> GANModels { GANModels(architecture: architecture, height: 32, width: 32, channels: 1, latentSize: 8, featureMaps: 4) }
        let sampled = GANTrainer(models: models()), plain = GANTrainer(models: models())
        let fresh = GANTrainer(models: models())
        var random = SeededGenerator(seed: 3)
        let real = Tensor(shape: [8, 32, 32, 1])
        random.fillNormal(real)
        let grid = Self.noise(3, seed: 4)

        let before = sampled.sample(noise: Self.noise(8, seed: 5))
        let small = sampled.sample(noise: grid)
        // The 3 samples sit in the front of the 8's output buffer.
        #expect(small.data == before.data)
        #expect(small.array == fresh.sample(noise: grid).array)

        for _ in 0..<2 {
            let a = sampled.step(real: real), b = plain.step(real: real)
            #expect(a.discriminatorLossReal == b.discriminatorLossReal && a.generatorLoss == b.generatorLoss)
            _ = sampled.sample(noise: grid)
        }
        let last = sampled.step(real: real), reference = plain.step(real: real)
        #expect(last.discriminatorLossFake == reference.discriminatorLossFake && last.generatorLoss == reference.generatorLoss)
        #expect(sampled.sample(noise: grid).array == plain.sample(noise: grid).array)
    }
}
