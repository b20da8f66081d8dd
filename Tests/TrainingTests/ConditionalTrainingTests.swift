import DatasetFile
import Foundation
import GAN
import HDF5
import Imaging
import Support
import Testing
import Training
import _TestSupport

/// Class-conditional training on real clothing with the dataset's labels.
@Suite struct ConditionalTrainingTests {
    static let twoClasses: Set<String> = ["Trouser", "Sneaker"]

    func options(_ dataset: String, steps: Int, stream: Bool = true, checkpointEvery: Int? = nil) -> TrainingOptions {
        TrainingOptions(dataset: dataset, model: .mlp, latent: 16, batch: 32, seed: 7, stream: stream, steps: steps,
                        sampleEvery: 50, checkpointEvery: checkpointEvery, threads: 1, conditional: true)
    }

    /// The mean image of each class: [class][pixel].
    static func classMeans(_ images: [Float], labels: [Int32], classes: Int, sampleSize: Int) -> [[Double]] {
        var sums = [[Double]](repeating: [Double](repeating: 0, count: sampleSize), count: classes)
        var counts = [Int](repeating: 0, count: classes)
        for (i, label) in labels.enumerated() {
            counts[Int(label)] += 1
            for j in 0..<sampleSize { sums[Int(label)][j] += Double(images[i * sampleSize + j]) }
        }
        return sums.enumerated().map { c, s in s.map { $0 / Double(max(1, counts[c])) } }
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices { ab += (a[i] - ma) * (b[i] - mb); aa += (a[i] - ma) * (a[i] - ma); bb += (b[i] - mb) * (b[i] - mb) }
        return ab / (aa * bb).squareRoot()
    }

    @Test func generatedClassesDifferAsTheRealClassesDo() throws {
        let dir = try TestPaths.temporaryDirectory("conditional")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try labelledDemoDataset(count: 600, classes: Self.twoClasses, size: 16, in: dir)
        let reader = try DatasetReader(path: dataset)
        #expect(try reader.labelNames() == ["Sneaker", "Trouser"])
        let labels = try #require(try reader.labels())
        var data = [Float](repeating: 0, count: reader.count * reader.sampleSize)
        try data.withUnsafeMutableBufferPointer { try reader.read(start: 0, count: reader.count, into: $0) }
        let real = Self.classMeans(data, labels: labels, classes: 2, sampleSize: reader.sampleSize)
        let realDifference = zip(real[1], real[0]).map { $0 - $1 }

        let run = try TrainingRun(options: options(dataset, steps: 150), directory: dir.appendingPathComponent("run").path, resume: false)
        #expect(run.config.labelNames == ["Sneaker", "Trouser"] && run.trainer.models.classes == 2)
        try run.run()
        var random = SeededGenerator(seed: 11)
        let z = Tensor(shape: [200, 16])
        random.fillNormal(z)
        let asked = (0..<200).map { Int32($0 % 2) }
        let generated = run.trainer.sample(noise: z, labels: asked).array
        let fake = Self.classMeans(generated, labels: asked, classes: 2, sampleSize: reader.sampleSize)
        let fakeDifference = zip(fake[1], fake[0]).map { $0 - $1 }
        // A generator that ignored its class would give the same mean for both (a difference of noise).
        let r = Self.correlation(realDifference, fakeDifference)
        #expect(r > 0.5, "correlation of the generated classes' mean difference with the real one: \(r)")
        // Each generated class's mean is nearer its own real class than the other.
        func distance(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
        for c in 0..<2 { #expect(distance(fake[c], real[c]) < distance(fake[c], real[1 - c]), "class \(c)") }
        // The grids: one labelled row per class (RGB, wider than the images for the names).
        let grid = try ImageDecoder().decode([UInt8](Data(contentsOf: URL(fileURLWithPath: run.imagesDirectory + "/step_000150.png"))))
        #expect(grid.channels == 3 && grid.height == 2 * 16 * 3 + 3 * 2, "\(grid.width)x\(grid.height)")
        let checkpoint = try #require(run.checkpoints().first)
        let stored = try HDF5File.open(checkpoint).attribute("label_names")
        #expect(stored == .strings(["Sneaker", "Trouser"]))
    }

    @Test(arguments: [false, true])
    func resumeReproducesAnUninterruptedConditionalRun(stream: Bool) throws {
        let dir = try TestPaths.temporaryDirectory("conditional-resume")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataset = try labelledDemoDataset(count: 80, size: 16, in: dir)
        let whole = try TrainingRun(options: options(dataset, steps: 7, stream: stream), directory: dir.appendingPathComponent("whole").path, resume: false)
        let reference = try whole.run()
        let runDir = dir.appendingPathComponent("split").path
        _ = try TrainingRun(options: options(dataset, steps: 4, stream: stream, checkpointEvery: 2), directory: runDir, resume: false).run()
        let resumed = try TrainingRun(options: options(dataset, steps: 7, stream: stream, checkpointEvery: 2), directory: runDir, resume: true)
        #expect(resumed.resumedFrom == 4)
        let continued = try resumed.run()
        func losses(_ r: [LossRecord]) -> [[Float]] { r.map { [$0.discriminatorLossReal, $0.discriminatorLossFake, $0.generatorLoss, $0.discriminatorAccuracy] } }
        #expect(losses(continued) == losses(reference), "steps 5-7 after resume differ from the uninterrupted run")
        #expect(whole.trainer.stateDigest() == resumed.trainer.stateDigest())
        // An unconditional run cannot continue a conditional one.
        var plain = options(dataset, steps: 8)
        plain.conditional = nil
        #expect { try TrainingRun(options: plain, directory: runDir, resume: true) } throws: { "\($0)".contains("conditional false (checkpoint has true)") }
    }

    @Test func refusalsNameTheProblem() throws {
        let dir = try TestPaths.temporaryDirectory("conditional-refusals")
        defer { try? FileManager.default.removeItem(at: dir) }
        let unlabelled = try demoDataset(count: 40, size: 16, in: dir)
        #expect { try TrainingRun(options: options(unlabelled, steps: 1), directory: dir.appendingPathComponent("a").path, resume: false) }
            throws: { "\($0)".contains("has no class labels") && "\($0)".contains("--conditional") }
        let labelled = try labelledDemoDataset(count: 40, size: 16, in: dir)
        var chosen = options(labelled, steps: 1)
        chosen.gridClasses = ["Trouser", "Kleid"]
        #expect { try TrainingRun(options: chosen, directory: dir.appendingPathComponent("b").path, resume: false) }
            throws: { "\($0)".contains("no class \"Kleid\"") && "\($0)".contains("\"Trouser\"") }
    }
}
