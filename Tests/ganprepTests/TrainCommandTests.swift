import DatasetFile
import Foundation
import Imaging
import Testing
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct TrainCommandTests {
    @Test func trainWritesGridsLossesPlotCheckpointsAndResumes() throws {
        let dir = try TestPaths.temporaryDirectory("train-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try CommandFixtures.packDemo(96, in: dir)
        let run = dir.appendingPathComponent("run").path
        let common = ["train", data, "--model", "dcgan", "--feature-maps", "8", "--batch", "16", "--checkpoint-every", "2",
                      "--sample-every", "3", "--out", run, "--threads", "1"]
        let first = try runGANPrep(common + ["--steps", "6"])
        #expect(first.status == 0, "\(first.stderr)")
        let fm = FileManager.default
        for file in ["config.json", "losses.csv", "losses.png", "gan_images/step_000003.png", "gan_images/step_000006.png",
                     "checkpoints/step_000000006.h5"] {
            #expect(fm.fileExists(atPath: run + "/" + file), "missing \(file)")
        }
        #expect(try fm.contentsOfDirectory(atPath: run + "/checkpoints").sorted()
                == ["step_000000002.h5", "step_000000004.h5", "step_000000006.h5"])
        let grid = try ImageDecoder().decode([UInt8](Data(contentsOf: URL(fileURLWithPath: run + "/gan_images/step_000006.png"))))
        #expect(grid.width == 5 * 96 + 6 * 2 && grid.channels == 1, "a 5x5 grid of 32 px images drawn 3x")
        let csv = try String(contentsOfFile: run + "/losses.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "step,epoch,d_loss_real,d_loss_fake,g_loss,d_accuracy,seconds" && csv.count == 7)

        let again = try runGANPrep(common + ["--steps", "6"])
        #expect(again.status == 2 && again.stderr.contains("--resume"), "a fresh run must not overwrite an existing one")
        let resumed = try runGANPrep(common + ["--steps", "8", "--resume"])
        #expect(resumed.status == 0 && resumed.stderr.contains("resuming after step 6"), "\(resumed.stderr)")
        #expect(try String(contentsOfFile: run + "/losses.csv", encoding: .utf8).split(separator: "\n").count == 9)

        let sample = try runGANPrep(["sample", run + "/checkpoints/step_000000008.h5", "--count", "9", "--out", dir.appendingPathComponent("s.png").path])
        #expect(sample.status == 0, "\(sample.stderr)")
        let image = try ImageDecoder().decode([UInt8](Data(contentsOf: dir.appendingPathComponent("s.png"))))
        #expect(image.width == 3 * 96 + 4 * 2)
    }

    @Test func killDashNineLosesOnlyTheStepsSinceTheLastCheckpoint() throws {
        let dir = try TestPaths.temporaryDirectory("train-kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try CommandFixtures.packDemo(64, in: dir)
        let run = dir.appendingPathComponent("run").path
        let arguments = ["train", data, "--model", "mlp", "--batch", "16", "--checkpoint-every", "3", "--out", run, "--threads", "1", "--quiet"]
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("ganprep")
        process.arguments = arguments + ["--steps", "100000"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        var checkpoints: [String] = []
        while Date() < deadline {
            checkpoints = ((try? FileManager.default.contentsOfDirectory(atPath: run + "/checkpoints")) ?? []).filter { $0.hasSuffix(".h5") }
            if checkpoints.count >= 2 { break }
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(checkpoints.count >= 2, "no checkpoints before the kill")
        let resumed = try runGANPrep(arguments + ["--steps", "30", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let steps = try String(contentsOfFile: run + "/losses.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .map { Int($0.split(separator: ",")[0])! }
        #expect(steps == Array(1...30), "each step logged once, in order")
    }

    @Test func trainRefusesFilesThatAreNotDatasets() throws {
        let result = try runGANPrep(["train", TestPaths.fixture("images/chelsea.jpg").path, "--steps", "1", "--out",
                                     FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID())").path])
        #expect(result.status == 2 && result.stderr.contains("chelsea.jpg") && result.stderr.contains("not an HDF5 file"))
    }
}
