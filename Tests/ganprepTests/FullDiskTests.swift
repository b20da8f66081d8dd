import DatasetFile
import Foundation
import Records
import Support
import Testing
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted for one test, which a filler file makes full.
final class ScratchFileSystem {
    let url: URL
    private var filler: URL { url.appendingPathComponent("filler") }

    /// Mounts a tmpfs of `megabytes`; nil where mounting is not permitted.
    init?(megabytes: Int) {
        guard let url = try? TestPaths.temporaryDirectory("tmpfs") else { return nil }
        self.url = url
        guard let result = try? ProcessRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", url.path]),
              result.status == 0 else {
            try? FileManager.default.removeItem(at: url)
            return nil
        }
    }

    deinit {
        _ = try? ProcessRunner.run("/bin/umount", ["-l", url.path])
        try? FileManager.default.removeItem(at: url)
    }

    /// Fills the file system up to `bytes` of free space.
    func fill(leaving bytes: Int) throws {
        var info = statvfs()
        guard statvfs(url.path, &info) == 0 else { throw CocoaError(.fileWriteUnknown) }
        let free = Int(info.f_bavail) * Int(info.f_frsize)
        try Data(count: max(0, free - bytes)).write(to: filler)
    }

    /// Frees the space again.
    func unfill() throws { try FileManager.default.removeItem(at: filler) }

    /// Whether this machine lets the tests mount a tmpfs (root, or CAP_SYS_ADMIN).
    static let available: Bool = ScratchFileSystem(megabytes: 1) != nil
}

/// A full disk on every write path: ENOSPC named with the path, exit 1,
/// whole lines and whole files only, and the same command resumes once
/// space is freed.
@Suite(.enabled(if: ScratchFileSystem.available, "mounting a tmpfs is not permitted here (needs root): full-disk tests skipped"))
struct FullDiskTests {
    @Test func fetchOnAFullDiskStopsWithENOSPCAndResumes() throws {
        let jpeg = try TestPaths.fixtureBytes("images/chelsea.jpg")
        let server = try TestHTTPServer { request, connection in
            connection.respond(status: 200, headers: ["Content-Type": "image/jpeg"], body: jpeg + Array(request.path.utf8))
        }
        defer { server.stop() }
        let disk = try #require(ScratchFileSystem(megabytes: 8))
        let records = disk.url.appendingPathComponent("records.jsonl")
        try (0..<40).map { "{\"url\": \"\(server.baseURL)/img/\($0).jpg\", \"description\": \"Jacke\"}" }
            .joined(separator: "\n").write(to: records, atomically: true, encoding: .utf8)
        let out = disk.url.appendingPathComponent("fetched")
        try disk.fill(leaving: 200 << 10)
        let full = try runGANPrep(["fetch", records.path, "--out", out.path, "--parallel", "4", "--quiet"])
        #expect(full.status == 1 && full.stderr.contains("no space left on device (ENOSPC)") && full.stderr.contains(out.path), "\(full.stderr)")
        let text = (try? String(contentsOf: out.appendingPathComponent("manifest.jsonl"), encoding: .utf8)) ?? ""
        #expect(text.isEmpty || text.hasSuffix("\n"), "a torn manifest line")
        for line in text.split(separator: "\n") { #expect((try? JSONParser.parse(Array(line.utf8))) != nil, "torn line \(line)") }
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("images").path)).contains { $0.hasPrefix(".partial") })
        try disk.unfill()
        let resumed = try runGANPrep(["fetch", records.path, "--out", out.path, "--parallel", "4", "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let entries = try FetchManifest.read(path: out.appendingPathComponent("manifest.jsonl").path).entries
        #expect(entries.count == 40 && entries.values.allSatisfy { $0.status == .ok })
        for entry in entries.values {
            let data = [UInt8](try Data(contentsOf: out.appendingPathComponent(entry.file ?? "-")))
            #expect(SHA256.hex(data) == entry.sha256)
        }
    }

    @Test func packOnAFullDiskLeavesNoFileAndResumes() throws {
        let scratch = try TestPaths.temporaryDirectory("full-pack")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = try TestPaths.linkDemoImages(300, into: scratch)
        let disk = try #require(ScratchFileSystem(megabytes: 8))
        let out = disk.url.appendingPathComponent("clothing.h5").path
        try disk.fill(leaving: 64 << 10)
        let arguments = ["pack", input.path, "--out", out, "--size", "32", "--channels", "1", "--quiet"]
        let full = try runGANPrep(arguments)
        #expect(full.status == 1 && full.stderr.contains("no space left on device (ENOSPC)") && full.stderr.contains(out), "\(full.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.url.path) == ["filler"], "a partial file or lock was left")
        try disk.unfill()
        let again = try runGANPrep(arguments)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try DatasetReader(path: out).count == 300)
    }

    /// Space for every image but not for libhdf5's last writes at the close:
    /// the close fails with ENOSPC, and pack must exit 1 with that message (it
    /// exited SIGSEGV in libhdf5's exit clean-up), leaving no partial file.
    /// The free space is stepped across the point where the close is what fails.
    @Test func packThatRunsOutOfSpaceAtTheCloseExitsOneAndLeavesNothing() throws {
        let scratch = try TestPaths.temporaryDirectory("full-close")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = try TestPaths.linkDemoImages(300, into: scratch)
        let disk = try #require(ScratchFileSystem(megabytes: 8))
        let out = disk.url.appendingPathComponent("clothing.h5").path
        let arguments = ["pack", input.path, "--out", out, "--size", "32", "--channels", "1", "--quiet"]
        var closes = 0
        for kib in stride(from: 1900, through: 2300, by: 25) {
            try disk.fill(leaving: kib << 10)
            let result = try runGANPrep(arguments)
            #expect(result.status == 0 || result.status == 1, "\(kib) KiB free: exit \(result.status) \(result.stderr.prefix(300))")
            if result.status == 1 {
                #expect(result.stderr.contains("no space left on device (ENOSPC)") && result.stderr.contains(out), "\(result.stderr)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: disk.url.path) == ["filler"], "a partial file or lock was left")
                if result.stderr.contains("close failed") { closes += 1 }
            }
            try? FileManager.default.removeItem(atPath: out)
            try? FileManager.default.removeItem(atPath: out + ".pack.jsonl")
            try disk.unfill()
        }
        #expect(closes > 0, "no free space between 1900 and 2300 KiB made the close fail")
    }

    @Test func mergeOnAFullDiskLeavesNoFileAndRuns() throws {
        let scratch = try TestPaths.temporaryDirectory("full-merge")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = try TestPaths.linkDemoImages(300, into: scratch)
        var parts: [String] = []
        for i in 0..<2 {
            let part = scratch.appendingPathComponent("part-\(i).h5").path
            let packed = try runGANPrep(["pack", input.path, "--shard", "\(i)/2", "--out", part, "--size", "32", "--channels", "1", "--quiet"])
            #expect(packed.status == 0, "\(packed.stderr)")
            parts.append(part)
        }
        let disk = try #require(ScratchFileSystem(megabytes: 8))
        let out = disk.url.appendingPathComponent("merged.h5").path
        try disk.fill(leaving: 64 << 10)
        let arguments = ["merge"] + parts + ["--out", out, "--copy"]
        let full = try runGANPrep(arguments)
        #expect(full.status == 1 && full.stderr.contains(out), "\(full.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.url.path) == ["filler"], "a partial file or lock was left")
        try disk.unfill()
        let again = try runGANPrep(arguments)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try DatasetReader(path: out).count == 300)
    }

    @Test func trainOnAFullDiskKeepsWholeLinesAndResumes() throws {
        let scratch = try TestPaths.temporaryDirectory("full-train")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = try TestPaths.linkDemoImages(64, into: scratch)
        let data = scratch.appendingPathComponent("clothing.h5").path
        #expect(try runGANPrep(["pack", input.path, "--out", data, "--size", "32", "--channels", "1", "--quiet"]).status == 0)
        let disk = try #require(ScratchFileSystem(megabytes: 8))
        let run = disk.url.appendingPathComponent("run").path
        let arguments = ["train", data, "--model", "dcgan", "--feature-maps", "4", "--batch", "16", "--checkpoint-every", "2",
                         "--sample-every", "1", "--out", run, "--threads", "1", "--quiet"]
        #expect(try runGANPrep(arguments + ["--steps", "2"]).status == 0)
        try disk.fill(leaving: 32 << 10)
        let full = try runGANPrep(arguments + ["--steps", "12", "--resume"])
        #expect(full.status == 1 && full.stderr.contains("no space left on device (ENOSPC)") && full.stderr.contains(run), "\(full.stderr)")
        let lines = try String(contentsOfFile: run + "/losses.csv", encoding: .utf8)
        #expect(lines.hasSuffix("\n"), "a torn losses.csv line")
        for line in lines.split(separator: "\n").dropFirst() { #expect(line.split(separator: ",").count == 8, "torn line \(line)") }
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: run + "/checkpoints")).contains { $0.hasSuffix(".partial") })
        try disk.unfill()
        let resumed = try runGANPrep(arguments + ["--steps", "12", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let steps = try String(contentsOfFile: run + "/losses.csv", encoding: .utf8).split(separator: "\n").dropFirst()
            .compactMap { Int($0.split(separator: ",")[0]) }
        #expect(steps == Array(1...12), "each step logged once, in order")
    }
}
