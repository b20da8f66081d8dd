import Foundation
import Testing
import _TestSupport

/// The one place that decides exit statuses, command by command: a user
/// error (a missing input) exits 2, an internal failure (the output's disk
/// is full, ENOSPC) exits 1, each with its message on standard error.
@Suite(.enabled(if: ScratchFileSystem.available, "mounting a tmpfs is not permitted here (needs root): exit-status tests skipped"))
struct ExitStatusTests {
    @Test func eachCommandExitsTwoForTheUsersErrorAndOneForAFullDisk() throws {
        let dir = try TestPaths.temporaryDirectory("exit-status")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = { (name: String) in dir.appendingPathComponent(name).path }
        try CommandFixtures.packClassifyTrain(in: dir)
        let folder = dir.appendingPathComponent("classes")
        let records = dir.appendingPathComponent("r.json")
        try "[{\"url\": \"http://127.0.0.1:\(TestPaths.refusedPort())/a.png\", \"description\": \"x\"}]".write(to: records, atomically: true, encoding: .utf8)
        let missing = path("missing.h5")
        let disk = try #require(ScratchFileSystem(megabytes: 4))
        let full = { (name: String) in disk.url.appendingPathComponent(name).path }
        let evalArguments = ["--classifier", path("c.h5"), "--count", "20", "--kid-subset-size", "10"]
        // (command, a user error, the same command writing to a full disk)
        let cases: [(String, [String], [String])] = [
            ("fetch", ["fetch", path("no-records.json"), "--out", path("f")], ["fetch", records.path, "--out", full("fetched"), "--retries", "0", "--quiet"]),
            ("pack", ["pack", path("no-folder"), "--out", path("x.h5")], ["pack", folder.path, "--out", full("p.h5"), "--size", "64", "--quiet"]),
            ("merge", ["merge", missing, "--out", path("m.h5")], ["merge", path("d.h5"), "--out", full("m.h5"), "--copy"]),
            ("train", ["train", missing, "--out", path("r2")], ["train", path("d.h5"), "--model", "mlp", "--steps", "2", "--out", full("run"), "--quiet"]),
            ("inspect", ["inspect", missing], ["inspect", path("d.h5"), "--grid", full("grid.png"), "--grid-count", "60"]),
            ("sample", ["sample", missing, "--out", path("s.png")], ["sample", path("run"), "--out-h5", full("s.h5"), "--count", "4000"]),
            ("classifier", ["classifier", "train", missing], ["classifier", "train", path("d.h5"), "--out", full("c.h5"), "--epochs", "1", "--quiet"]),
            ("eval", ["eval", path("run"), "--data", missing] + evalArguments,
             ["eval", path("run"), "--data", path("d.h5"), "--features-out", full("features.h5")] + evalArguments),
            ("report", ["report", path("no-run")], ["report", path("run"), "--out", full("report.html")]),
        ]
        for (command, userError, diskFull) in cases {
            let refused = try runGANPrep(userError)
            #expect(refused.status == 2 && refused.stderr.hasPrefix("ganprep: "), "\(command), user error: \(refused.status) \(refused.stderr)")
            try disk.fill(leaving: 0)
            let failed = try runGANPrep(diskFull)
            try disk.unfill()
            #expect(failed.status == 1 && failed.stderr.contains("no space left on device"),
                    "\(command), full disk: \(failed.status) \(failed.stderr.suffix(400))")
        }
    }
}
