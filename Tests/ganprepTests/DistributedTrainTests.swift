import Foundation
import GAN
import Testing
import Training
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `mpirun -np 2 ganprep train`: real Open MPI, two real processes.
@Suite struct DistributedTrainTests {
    /// mpirun with 2 processes (as root, Open MPI wants to be told), under a
    /// timeout: a member waiting forever on one that left would hang the test.
    func mpirun(_ arguments: [String], transport: [String] = []) throws -> (status: Int32, stdout: String, stderr: String) {
        let root = getuid() == 0 ? ["--allow-run-as-root"] : []
        return try ProcessRunner.run("/usr/bin/timeout", ["300", "mpirun", "--oversubscribe"] + root + transport + ["-np", "2",
                                     productsDirectory.appendingPathComponent("ganprep").path] + arguments)
    }

    /// The first step's gradients that `--gradients-out` wrote, by parameter.
    func gradients(_ path: String, architecture: GANArchitecture, classes: Int = 0) throws -> [String: [Float]] {
        let models = GANModels(architecture: architecture, height: 32, width: 32, channels: 1, featureMaps: 8, classes: classes)
        let tensors = (models.generator.parameters + models.discriminator.parameters).map { (name: $0.name, tensor: $0.gradient) }
        _ = try TensorStore.load(tensors, from: path)
        return Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, Array(UnsafeBufferPointer(start: $0.tensor.data, count: $0.tensor.count))) })
    }

    /// The largest difference between two gradients of a tensor, relative to the tensor's largest value.
    func worstRelativeDifference(_ a: [String: [Float]], _ b: [String: [Float]]) -> Float {
        var worst: Float = 0
        for (name, x) in a {
            guard let y = b[name], y.count == x.count else { return .infinity }
            let scale = max(x.map(abs).max() ?? 0, 1e-12)
            worst = max(worst, zip(x, y).map { abs($0 - $1) }.max()! / scale)
        }
        return worst
    }

    func digests(_ directory: String) throws -> [String] {
        try (0..<2).map { try String(contentsOfFile: "\(directory)/rank-\($0).sha256", encoding: .utf8) }
    }

    @Test func twoProcessesTakeTheOneProcessStepAndStayBitIdentical() throws {
        let dir = try TestPaths.temporaryDirectory("train-mpi")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try CommandFixtures.packDemo(200, in: dir)
        // The dense GAN in memory; with --sync-batch-norm its generator's BatchNorm statistics are the global batch's.
        let common = ["train", data, "--model", "mlp", "--batch", "64", "--steps", "4", "--threads", "1"]
        let single = try runGANPrep(common + ["--out", dir.path + "/one", "--gradients-out", dir.path + "/one.h5", "--quiet"])
        #expect(single.status == 0, "\(single.stderr)")
        let pair = try mpirun(common + ["--sync-batch-norm", "--out", dir.path + "/two", "--gradients-out", dir.path + "/two.h5",
                                        "--replica-digests", dir.path + "/digests"])
        #expect(pair.status == 0, "\(pair.stderr)")
        #expect(pair.stdout.contains("processes: 2, weights identical"), "\(pair.stdout)")

        // After 4 steps the two processes hold the same bits (each wrote its own digest).
        let d = try digests(dir.path + "/digests")
        #expect(d[0] == d[1] && d[0].count == 65, "\(d)")
        // The first step's gradient, summed over the two halves of the global batch, is the one-process gradient.
        let one = try gradients(dir.path + "/one.h5", architecture: .mlp), two = try gradients(dir.path + "/two.h5", architecture: .mlp)
        #expect(one.count == 20)
        let difference = worstRelativeDifference(one, two)
        #expect(difference < 1e-4, "gradients differ by \(difference) of their scale")
        // Something a wrong average would break: half the gradient (a missing sum) is far off.
        #expect(worstRelativeDifference(one, two.mapValues { $0.map { $0 / 2 } }) > 0.1)
        // Rank 0 alone wrote the log: one header and a line per step.
        let csv = try String(contentsOfFile: dir.path + "/two/losses.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 5)
        let oneCSV = try String(contentsOfFile: dir.path + "/one/losses.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv[1].split(separator: ",")[5] == oneCSV[1].split(separator: ",")[5], "the first step's accuracy over the global batch")

        // By default each process normalizes with its own share's statistics; their
        // moving averages are averaged every step, so the processes still agree bit for bit.
        let own = try mpirun(common + ["--out", dir.path + "/own", "--replica-digests", dir.path + "/own-digests"])
        #expect(own.status == 0, "\(own.stderr)")
        let ownDigests = try digests(dir.path + "/own-digests")
        #expect(ownDigests[0] == ownDigests[1] && ownDigests[0] != d[0], "\(ownDigests) against \(d)")
    }

    /// With --time-limit, rank 0's clock decides when to stop: both processes stop after the same
    /// step (one checkpoint, identical weights), however their own clocks run. The rates decay with
    /// the time over the whole budget, set from rank 0's clock too; here the processes' own clocks
    /// differ by less than the rates' rounding shows, so this checks that the decay keeps them in step,
    /// not that a process's own clock would not have.
    @Test func aTimeLimitStopsEveryProcessAfterTheSameStep() throws {
        let dir = try TestPaths.temporaryDirectory("train-mpi-time")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try CommandFixtures.packDemo(64, in: dir)
        let pair = try mpirun(["train", data, "--model", "mlp", "--batch", "16", "--threads", "1", "--time-limit", "0.03", "--lr-decay", "1",
                               "--out", dir.path + "/two", "--replica-digests", dir.path + "/digests"])
        #expect(pair.status == 0, "\(pair.stderr)")
        #expect(pair.stdout.contains("minutes reached") && pair.stdout.contains("weights identical"), "\(pair.stdout)")
        let d = try digests(dir.path + "/digests")
        #expect(d[0] == d[1], "\(d)")
        let rows = try String(contentsOfFile: dir.path + "/two/losses.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        // It trained until its clock crossed the limit, however many steps that took on a loaded machine.
        #expect(!rows.isEmpty && Double(rows.last!.split(separator: ",")[6])! >= 1.8, "\(rows)")
    }

    @Test func streamedDCGANOverTCPAndResumeWithTheSameProcessCount() throws {
        let dir = try TestPaths.temporaryDirectory("train-mpi-tcp")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try CommandFixtures.packDemo(100, in: dir)
        // The classic recipe: its discriminator has the BatchNorm layers whose statistics these runs compare.
        let common = ["train", data, "--recipe", "classic", "--stream", "--feature-maps", "8", "--batch", "16", "--threads", "1", "--checkpoint-every", "2"]
        let tcp = ["--mca", "btl", "tcp,self"]
        let single = try runGANPrep(common + ["--steps", "2", "--out", dir.path + "/one", "--gradients-out", dir.path + "/one.h5", "--quiet"])
        #expect(single.status == 0, "\(single.stderr)")
        let pair = try mpirun(common + ["--steps", "2", "--sync-batch-norm", "--out", dir.path + "/two", "--gradients-out", dir.path + "/two.h5",
                                        "--replica-digests", dir.path + "/d1"], transport: tcp)
        #expect(pair.status == 0, "\(pair.stderr)")
        let first = try digests(dir.path + "/d1")
        #expect(first[0] == first[1])
        let difference = worstRelativeDifference(try gradients(dir.path + "/one.h5", architecture: .dcgan),
                                                 try gradients(dir.path + "/two.h5", architecture: .dcgan))
        #expect(difference < 1e-4, "DCGAN gradients over TCP differ by \(difference) of their scale")

        // Another process count cannot resume the run; the same one continues it.
        let alone = try runGANPrep(common + ["--steps", "4", "--out", dir.path + "/two", "--resume"])
        #expect(alone.status == 2 && alone.stderr.contains("ranks (processes) 1 (checkpoint has 2)"), "\(alone.stderr)")
        let resumed = try mpirun(common + ["--steps", "4", "--sync-batch-norm", "--out", dir.path + "/two", "--resume", "--replica-digests", dir.path + "/d2"],
                                 transport: tcp)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let second = try digests(dir.path + "/d2")
        #expect(second[0] == second[1] && second[0] != first[0])
        #expect(FileManager.default.fileExists(atPath: dir.path + "/two/checkpoints/step_000000004.h5"))
    }

    @Test func aConditionalRunSharesItsClassesAcrossProcesses() throws {
        let dir = try TestPaths.temporaryDirectory("train-mpi-conditional")
        defer { try? FileManager.default.removeItem(at: dir) }
        let folder = try TestPaths.labelledDemoFolder(120, into: dir)
        let data = dir.path + "/labelled.h5"
        let packed = try runGANPrep(["pack", folder.path, "--out", data, "--size", "32", "--channels", "1", "--resize-mode", "stretch", "--quiet"])
        #expect(packed.status == 0, "\(packed.stderr)")
        // Each process's share of the real batch keeps its own images' classes, and of the generated batch the classes one process would draw.
        let common = ["train", data, "--recipe", "classic", "--conditional", "--stream", "--feature-maps", "8", "--batch", "20", "--steps", "3", "--threads", "1"]
        let single = try runGANPrep(common + ["--out", dir.path + "/one", "--gradients-out", dir.path + "/one.h5", "--quiet"])
        #expect(single.status == 0, "\(single.stderr)")
        let pair = try mpirun(common + ["--sync-batch-norm", "--out", dir.path + "/two", "--gradients-out", dir.path + "/two.h5",
                                        "--replica-digests", dir.path + "/d"])
        #expect(pair.status == 0, "\(pair.stderr)")
        let d = try digests(dir.path + "/d")
        #expect(d[0] == d[1])
        let one = try gradients(dir.path + "/one.h5", architecture: .dcgan, classes: 10)
        let two = try gradients(dir.path + "/two.h5", architecture: .dcgan, classes: 10)
        #expect(one["discriminator/logit/class_embedding"]?.contains { $0 != 0 } == true)
        let difference = worstRelativeDifference(one, two)
        #expect(difference < 1e-4, "conditional DCGAN gradients differ by \(difference) of their scale")
        let oneCSV = try String(contentsOfFile: dir.path + "/one/losses.csv", encoding: .utf8).split(separator: "\n")
        let twoCSV = try String(contentsOfFile: dir.path + "/two/losses.csv", encoding: .utf8).split(separator: "\n")
        #expect(oneCSV[1].split(separator: ",")[5] == twoCSV[1].split(separator: ",")[5], "the first step's accuracy over the global batch")
    }

    @Test func aFailureOnOneProcessEndsThemAll() throws {
        let dir = try TestPaths.temporaryDirectory("train-mpi-fail")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try CommandFixtures.packDemo(20, in: dir)
        // A global batch of one cannot be shared by two processes.
        let result = try mpirun(["train", data, "--model", "mlp", "--batch", "1", "--steps", "1", "--out", dir.path + "/run"])
        #expect(result.status != 0 && result.status != 124, "exit \(result.status): \(result.stderr)")
        #expect(result.stderr.contains("--batch 1 is the global batch"), "\(result.stderr)")
    }
}
