import Foundation
import Testing
import _TestSupport

/// An output gets its final name only once it is whole and closed: each
/// command runs under strace, and no write may reach the output's file after
/// the rename that names it. (libhdf5 clears the superblock's "open for
/// writing" flag when it closes a file: a file renamed first and closed
/// after carried that flag under its final name until the close, and a
/// process killed in between left a file that h5py will not open to write.)
@Suite struct CommitOrderTests {
    /// Runs `ganprep arguments` under strace; returns its system calls.
    func traced(_ arguments: [String], in dir: URL) throws -> [String] {
        let strace = "/usr/bin/strace"
        try #require(FileManager.default.isExecutableFile(atPath: strace), "strace (installed by make setup) is missing")
        let log = dir.appendingPathComponent("strace.log").path
        let binary = ProcessRunner.productsDirectory.appendingPathComponent("ganprep").path
        let run = try ProcessRunner.run(strace, ["-f", "-qq", "-e", "trace=openat,rename,renameat,renameat2,write,pwrite64,pwritev,close",
                                                 "-o", log, binary] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// The system calls that wrote to the file renamed onto `output`, after that rename.
    func writesAfterRename(onto output: String, _ calls: [String]) throws -> [String] {
        let renamed = try #require(calls.firstIndex { $0.contains("rename") && $0.contains(", \"\(output)\"") },
                                   "no rename onto \(output)")
        let call = calls[renamed]
        let partial = try #require(call.split(separator: "\"").dropFirst().first.map(String.init), "\(call)")
        // The descriptor the temporary file was opened as (created with O_CREAT), kept until its close.
        let opened = try #require(calls[..<renamed].lastIndex { $0.contains("openat(") && $0.contains("\"\(partial)\"") && $0.contains("O_CREAT") },
                                  "\(partial) was never opened")
        // A call another thread's interrupted ends on a later "<... openat resumed>" line of the same pid.
        let pid = calls[opened].prefix { $0 != " " }
        let result = calls[opened].contains("<unfinished")
            ? calls[(opened + 1)...].first { $0.hasPrefix(pid + " ") && $0.contains("openat resumed>") } : calls[opened]
        let fd = try #require(result?.split(separator: "=").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }, "\(calls[opened])")
        func withoutPid(_ line: String) -> Substring { line.drop { $0 != " " }.drop { $0 == " " } }
        func closes(_ line: String) -> Bool { withoutPid(line).hasPrefix("close(\(fd))") }
        // Closed before its rename: what follows cannot write to it (and the descriptor may name another file by then).
        if calls[(opened + 1)..<renamed].contains(where: closes) { return [] }
        var after: [String] = []
        for line in calls[(renamed + 1)...] {
            if closes(line) { break }
            if ["write(", "pwrite64(", "pwritev("].contains(where: { withoutPid(line).hasPrefix($0 + "\(fd),") }) { after.append(line) }
        }
        return after
    }

    @Test func packRenamesItsDatasetOnlyOnceClosed() throws {
        let dir = try TestPaths.temporaryDirectory("commit-pack")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try TestPaths.linkDemoImages(40, into: dir)
        for format in ["ganprep", "gapcv"] {
            let out = dir.appendingPathComponent("\(format).h5").path
            let calls = try traced(["pack", input.path, "--out", out, "--size", "16", "--channels", "1", "--layout", format, "--quiet"], in: dir)
            let late = try writesAfterRename(onto: out, calls)
            #expect(late.isEmpty, "\(format): written after its rename: \(late)")
        }
    }

    @Test func checkpointsAndSampledDatasetsAreRenamedOnlyOnceClosed() throws {
        let dir = try TestPaths.temporaryDirectory("commit-train")
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = try CommandFixtures.packDemo(40, in: dir)
        let run = dir.appendingPathComponent("run").path
        let training = try traced(["train", data, "--model", "mlp", "--steps", "1", "--batch", "8", "--out", run, "--quiet", "--threads", "1"], in: dir)
        let checkpoint = run + "/checkpoints/step_000000001.h5"
        #expect(FileManager.default.fileExists(atPath: checkpoint))
        let late = try writesAfterRename(onto: checkpoint, training)
        #expect(late.isEmpty, "checkpoint: written after its rename: \(late)")
        let sampled = dir.appendingPathComponent("sampled.h5").path
        let sampling = try traced(["sample", run, "--count", "4", "--out-h5", sampled], in: dir)
        let lateSamples = try writesAfterRename(onto: sampled, sampling)
        #expect(lateSamples.isEmpty, "sample --out-h5: written after its rename: \(lateSamples)")
    }

    @Test func mergeRenamesItsOutputOnlyOnceClosed() throws {
        let dir = try TestPaths.temporaryDirectory("commit-merge")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try TestPaths.linkDemoImages(40, into: dir)
        var parts: [String] = []
        for i in 0..<2 {
            let part = dir.appendingPathComponent("part-\(i).h5").path
            let packed = try runGANPrep(["pack", input.path, "--shard", "\(i)/2", "--out", part, "--size", "16", "--channels", "1", "--quiet"])
            #expect(packed.status == 0, "\(packed.stderr)")
            parts.append(part)
        }
        for copy in [false, true] {
            let out = dir.appendingPathComponent("merged-\(copy).h5").path
            let calls = try traced(["merge"] + parts + ["--out", out] + (copy ? ["--copy"] : []), in: dir)
            let late = try writesAfterRename(onto: out, calls)
            #expect(late.isEmpty, "merge\(copy ? " --copy" : ""): written after its rename: \(late)")
        }
    }
}
