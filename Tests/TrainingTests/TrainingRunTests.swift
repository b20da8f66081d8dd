import DatasetFile
import Foundation
import GAN
import HDF5
import Support
import Testing
import Training
import _TestSupport

@Suite struct TrainingRunTests {
    @Test func targetsFollowTheDiscriminatorsOutputShape() {
        // A patch discriminator: one logit per 2x2 region, output [B, 2, 2, 1].
        let generator = Sequential(name: "g", layers: [
            Dense(name: "g/dense", inputSize: 8, units: 4 * 4 * 2), Reshape(name: "g/reshape", to: [4, 4, 2]),
            Conv2DTranspose(name: "g/deconv", inputChannels: 2, filters: 1, kernelSize: 4, stride: 2), Tanh(name: "g/tanh"),
        ])
        let discriminator = Sequential(name: "d", layers: [
            Conv2D(name: "d/conv0", inputChannels: 1, filters: 4, kernelSize: 4, stride: 2), LeakyReLU(name: "d/lrelu"),
            Conv2D(name: "d/conv1", inputChannels: 4, filters: 1, kernelSize: 4, stride: 2),
        ])
        var random = SeededGenerator(seed: 1)
        for p in generator.parameters + discriminator.parameters { random.fillNormal(p.value, std: 0.1) }
        let models = GANModels(generator: generator, discriminator: discriminator, discriminatorOutputsLogits: true,
                               latentSize: 8, imageShape: [8, 8, 1])
        #expect(discriminator.outputShape(for: [5, 8, 8, 1]) == [5, 2, 2, 1])
        let trainer = GANTrainer(models: models, seed: 2)
        let real = Tensor(shape: [5, 8, 8, 1])
        random.fillUniform(real, limit: 1)
        let before = discriminator.parameters.map(\.value.array)
        for _ in 0..<3 {
            let result = trainer.step(real: real)
            #expect(result.discriminatorLossReal.isFinite && result.generatorLoss.isFinite)
        }
        #expect(discriminator.parameters.map(\.value.array) != before, "the patch discriminator trained")
    }

    func config(_ dataset: String, stream: Bool, steps: Int, checkpointEvery: Int? = nil) -> TrainingOptions {
        TrainingOptions(dataset: dataset, model: .mlp, latent: 16, batch: 32, seed: 5,
                       stream: stream, steps: steps, sampleEvery: 3, checkpointEvery: checkpointEvery, threads: 1)
    }

    @Test(arguments: [false, true])
    func resumeReproducesTheLossesOfAnUninterruptedRun(stream: Bool) throws {
        let dir = try TestPaths.temporaryDirectory("resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try demoDataset(count: 80, size: 16, in: dir)
        // 80 images in batches of 32: epochs of 3 batches, so step 4 is mid-epoch.
        let whole = try TrainingRun(options: config(dataset, stream: stream, steps: 7), directory: dir.appendingPathComponent("whole").path, resume: false)
        let reference = try whole.run()
        #expect(reference.count == 7 && reference.allSatisfy { $0.generatorLoss.isFinite })

        let runDir = dir.appendingPathComponent("split").path
        _ = try TrainingRun(options: config(dataset, stream: stream, steps: 4, checkpointEvery: 2), directory: runDir, resume: false).run()
        // A crash mid-write leaves a partial file; resume must ignore it.
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: runDir + "/checkpoints/.step_000000006.h5.partial"))
        let resumed = try TrainingRun(options: config(dataset, stream: stream, steps: 7, checkpointEvery: 2), directory: runDir, resume: true)
        #expect(resumed.resumedFrom == 4 && resumed.epoch == 1 && resumed.batchInEpoch == 1)
        let continued = try resumed.run()
        func losses(_ r: [LossRecord]) -> [[Float]] {
            r.map { [Float($0.step), Float($0.epoch), $0.discriminatorLossReal, $0.discriminatorLossFake, $0.generatorLoss, $0.discriminatorAccuracy] }
        }
        #expect(losses(continued) == losses(reference), "steps 5-7 after resume differ from the uninterrupted run")
        let csv = try String(contentsOfFile: runDir + "/losses.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 8, "header and one line per step, none repeated")
        #expect(!FileManager.default.fileExists(atPath: runDir + "/checkpoints/.step_000000006.h5.partial"))
    }

    @Test func aCorruptNewestCheckpointFallsBackToTheOneBefore() throws {
        let dir = try TestPaths.temporaryDirectory("corrupt-ckpt")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try demoDataset(count: 64, size: 16, in: dir)
        let runDir = dir.appendingPathComponent("run").path
        let first = try TrainingRun(options: config(dataset, stream: false, steps: 4, checkpointEvery: 2), directory: runDir, resume: false)
        try first.run()
        let newest = try #require(first.checkpoints().first)
        #expect(newest.hasSuffix("step_000000004.h5"))
        try Data("not hdf5".utf8).write(to: URL(fileURLWithPath: newest))
        let resumed = try TrainingRun(options: config(dataset, stream: false, steps: 4, checkpointEvery: 2), directory: runDir, resume: true)
        #expect(resumed.resumedFrom == 2)
        resumed.close()
        // Another model shape cannot resume this run.
        var other = config(dataset, stream: false, steps: 4)
        other.latent = 20
        #expect { try TrainingRun(options: other, directory: runDir, resume: true) } throws: { "\($0)".contains("latent 20") }
    }

    @Test func foreignAndCorruptFilesAreRefusedWithClearErrors() throws {
        let dir = try TestPaths.temporaryDirectory("foreign")
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = dir.appendingPathComponent("notes.h5").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        #expect { try TrainingRun(options: config(text, stream: false, steps: 1), directory: dir.appendingPathComponent("a").path, resume: false) }
            throws: { "\($0)".contains("notes.h5") && "\($0)".contains("not an HDF5 file") }
        let foreign = dir.appendingPathComponent("model.h5").path
        do {
            let file = try HDF5File.create(foreign)
            _ = try file.createDataset("dense_1", of: Float.self, shape: [4, 4])
        }
        #expect { try TrainingRun(options: config(foreign, stream: true, steps: 1), directory: dir.appendingPathComponent("b").path, resume: false) }
            throws: { "\($0)".contains("is not a ganprep or GAPCV dataset") && "\($0)".contains("dense_1") }
    }

    @Test func shortTrainingOnClothingMovesSamplesTowardTheData() throws {
        // The original dense GAN on real clothing images (Fashion-MNIST, 28x28 gray).
        let dir = try TestPaths.temporaryDirectory("real-training")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try demoDataset(count: 640, size: 28, in: dir)
        let reader = try DatasetReader(path: dataset)
        var data = [Float](repeating: 0, count: reader.count * reader.sampleSize)
        try data.withUnsafeMutableBufferPointer { try reader.read(start: 0, count: reader.count, into: $0) }
        func moments(_ v: [Float]) -> (Double, Double) {
            let m = v.reduce(0.0) { $0 + Double($1) } / Double(v.count)
            return (m, (v.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(v.count)).squareRoot())
        }
        let target = moments(data)
        var settings = TrainingOptions(dataset: dataset, model: .mlp, batch: 32, seed: 1,
                                      stream: true, epochs: 6, threads: 1)
        settings.sampleEvery = nil
        let run = try TrainingRun(options: settings, directory: dir.appendingPathComponent("run").path, resume: false)
        var z = SeededGenerator(seed: 99)
        let noise = Tensor(shape: [64, 100])
        z.fillNormal(noise)
        let before = moments(run.trainer.sample(noise: noise).array)
        let records = try run.run()
        let after = moments(run.trainer.sample(noise: noise).array)
        #expect(records.count == 120 && records.allSatisfy { $0.discriminatorLossReal.isFinite && $0.generatorLoss.isFinite })
        #expect(abs(after.0 - target.0) < abs(before.0 - target.0), "mean \(before.0) -> \(after.0), data \(target.0)")
        #expect(abs(after.1 - target.1) < abs(before.1 - target.1), "std \(before.1) -> \(after.1), data \(target.1)")
        let grids = try FileManager.default.contentsOfDirectory(atPath: run.imagesDirectory).sorted()
        #expect(grids == (1...6).map { String(format: "epoch_%04d.png", $0) })
        #expect(FileManager.default.fileExists(atPath: run.plotPath))
    }
}
