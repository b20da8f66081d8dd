import Foundation
import Records
import Testing
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ShardCommandTests {
    @Test func aShardKilledWithSignalNineAndRerunLosesNothing() throws {
        let server = try CommandFixtures.imageServer()
        defer { server.stop() }
        let scratch = try TestPaths.temporaryDirectory("fetch-shard-kill")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let records = scratch.appendingPathComponent("records.json")
        try CommandFixtures.writeRecords((0..<120).map { server.baseURL + "/delay/20/\($0)" }, to: records)
        let arguments = ["fetch", records.path, "--parallel", "4", "--quiet"]
        let reference = scratch.appendingPathComponent("reference")
        #expect(try runGANPrep(arguments + ["--out", reference.path]).status == 0)

        // Shards 0 and 2 finish; shard 1 is killed in the middle, all in one directory.
        let shared = scratch.appendingPathComponent("shared")
        for i in [0, 2] { #expect(try runGANPrep(arguments + ["--out", shared.path, "--shard", "\(i)/3"]).status == 0) }
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("ganprep")
        process.arguments = arguments + ["--out", shared.path, "--shard", "1/3"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let part = shared.appendingPathComponent("manifest.part-1-of-3.jsonl")
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline, ((try? String(contentsOf: part, encoding: .utf8)) ?? "").split(separator: "\n").count < 10 {
            usleep(5_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "shard 1 finished before it could be killed")
        #expect(try CommandFixtures.manifestLines(shared).count < 120)

        let rerun = try runGANPrep(arguments + ["--out", shared.path, "--shard", "1/3"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try CommandFixtures.manifestLines(shared) == CommandFixtures.manifestLines(reference), "the parts together are the one-process manifest")
        let files = { (d: URL) in try FileManager.default.contentsOfDirectory(atPath: d.appendingPathComponent("images").path).sorted() }
        #expect(try files(shared) == files(reference), "leftover or missing files after the re-run")
        // pack reads the parts as one fetch.
        let packed = try runGANPrep(["pack", shared.path, "--out", scratch.appendingPathComponent("all.h5").path, "--size", "16", "--channels", "1"])
        #expect(packed.status == 0 && packed.stdout.contains("packed 120 images"), "\(packed.stdout)\(packed.stderr)")
    }

    @Test func theLauncherSaysWhichShardAndPackNeedsAPlaceholder() throws {
        let server = try CommandFixtures.imageServer()
        defer { server.stop() }
        let scratch = try TestPaths.temporaryDirectory("fetch-shard-env")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let records = scratch.appendingPathComponent("records.json")
        try CommandFixtures.writeRecords((0..<10).map { server.baseURL + "/delay/1/\($0)" }, to: records)
        let out = scratch.appendingPathComponent("fetched")
        let binary = productsDirectory.appendingPathComponent("ganprep").path
        let fetched = try ProcessRunner.run(binary, ["fetch", records.path, "--out", out.path],
                                            environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_MIN": "1"])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(fetched.stderr.contains("shard 1/3 (from SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT)"), "\(fetched.stderr)")
        let entries = try FetchManifest.read(path: out.appendingPathComponent("manifest.part-1-of-3.jsonl").path).entries
        #expect(entries.keys.sorted() == [1, 4, 7])

        // Every process of a launcher would write the same file: refused without {shard}.
        let environment = ["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "3"]
        let clash = try ProcessRunner.run(binary, ["pack", out.path, "--out", scratch.appendingPathComponent("part.h5").path, "--size", "16"],
                                          environment: environment)
        #expect(clash.status == 2 && clash.stderr.contains("{shard}"), "\(clash.stderr)")
        let packed = try ProcessRunner.run(binary, ["pack", out.path, "--out", scratch.appendingPathComponent("part-{shard}.h5").path, "--size", "16"],
                                           environment: environment)
        #expect(packed.status == 0 && packed.stdout.contains("packed 3 images"), "\(packed.stdout)\(packed.stderr)")
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("part-1.h5").path))
        let bad = try runGANPrep(["fetch", records.path, "--out", out.path, "--shard", "3/3"])
        #expect(bad.status == 2 && bad.stderr.contains("shard index must be from 0 to 2"), "\(bad.stderr)")
    }
}
