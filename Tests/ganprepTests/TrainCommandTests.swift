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
        #expect(csv.first == "step,epoch,d_loss_real,d_loss_fake,g_loss,d_accuracy,seconds,augment_p" && csv.count == 7)

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

    @Test func ctrlCCheckpointsTheLastStepAndResumeGivesTheUninterruptedLosses() throws {
        let dir = try TestPaths.temporaryDirectory("train-sigint")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try CommandFixtures.packDemo(64, in: dir)
        let run = dir.appendingPathComponent("run").path
        // Only the end, Ctrl-C and time write checkpoints here.
        let arguments = ["train", data, "--model", "mlp", "--batch", "16", "--checkpoint-every", "100000", "--sample-every", "100000",
                         "--threads", "1", "--quiet"]
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("ganprep")
        process.arguments = arguments + ["--steps", "100000", "--out", run]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, ((try? String(contentsOfFile: run + "/losses.csv", encoding: .utf8)) ?? "").split(separator: "\n").count < 5 {
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGINT)
        let stopBy = Date().addingTimeInterval(60)
        while process.isRunning && Date() < stopBy { usleep(20_000) }
        let stopped = !process.isRunning
        if !stopped { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try #require(stopped, "SIGINT did not stop the run")
        #expect(process.terminationReason == .exit && process.terminationStatus == 130, "exit \(process.terminationStatus)")
        let logged = try String(contentsOfFile: run + "/losses.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let last = try #require(logged.last.flatMap { Int($0.split(separator: ",")[0]) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: run + "/checkpoints").sorted() == [String(format: "step_%09d.h5", last)],
                "the checkpoint is of the last logged step")
        let total = last + 5
        let resumed = try runGANPrep(arguments + ["--steps", "\(total)", "--out", run, "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let reference = dir.appendingPathComponent("reference").path
        #expect(try runGANPrep(arguments + ["--steps", "\(total)", "--out", reference]).status == 0)
        let losses = { (path: String) in
            try String(contentsOfFile: path + "/losses.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",").prefix(6) }
        }
        #expect(try losses(run) == losses(reference), "the interrupted and resumed run has the uninterrupted losses")
    }

    @Test func checkpointsAreWrittenByTimeToo() throws {
        let dir = try TestPaths.temporaryDirectory("train-minutes")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try CommandFixtures.packDemo(64, in: dir)
        let run = dir.appendingPathComponent("run").path
        // 0.002 minutes: a checkpoint about every 0.12 s, far less than 40 steps take.
        let result = try runGANPrep(["train", data, "--model", "mlp", "--batch", "16", "--steps", "40", "--checkpoint-every", "100000",
                                     "--checkpoint-minutes", "0.002", "--threads", "1", "--out", run, "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: run + "/checkpoints").filter { $0.hasPrefix("step_") }.sorted()
        #expect(names.last == "step_000000040.h5" && names.count >= 2, "\(names): none written by time before the end")
        let refused = try runGANPrep(["train", data, "--checkpoint-minutes", "0", "--out", dir.appendingPathComponent("x").path])
        #expect(refused.status == 2 && refused.stderr.contains("--checkpoint-minutes"), "\(refused.stderr)")
    }

    @Test func trainRefusesFilesThatAreNotDatasets() throws {
        let result = try runGANPrep(["train", TestPaths.fixture("images/chelsea.jpg").path, "--steps", "1", "--out",
                                     FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID())").path])
        #expect(result.status == 2 && result.stderr.contains("chelsea.jpg") && result.stderr.contains("not an HDF5 file"))
    }
}
