import Foundation
import Records
import Testing
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct FetchCommandTests {
    func manifestLines(_ directory: URL) throws -> [String] {
        try String(contentsOf: directory.appendingPathComponent("manifest.jsonl"), encoding: .utf8)
            .split(separator: "\n").map(String.init).sorted()
    }

    @Test func killDashNineThenRerunEndsWithTheUninterruptedManifest() throws {
        let server = try CommandFixtures.imageServer()
        defer { server.stop() }
        let scratch = try TestPaths.temporaryDirectory("fetch-kill")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let records = scratch.appendingPathComponent("records.json")
        try CommandFixtures.writeRecords((0..<120).map { server.baseURL + "/delay/25/\($0)" }, to: records)
        let arguments = ["fetch", records.path, "--parallel", "4", "--quiet"]

        let reference = scratch.appendingPathComponent("reference")
        #expect(try runGANPrep(arguments + ["--out", reference.path]).status == 0)

        let interrupted = scratch.appendingPathComponent("interrupted")
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("ganprep")
        process.arguments = arguments + ["--out", interrupted.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it once some records are done, in the middle of the run.
        let manifest = interrupted.appendingPathComponent("manifest.jsonl")
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = (try? String(contentsOf: manifest, encoding: .utf8)) ?? ""
            if text.split(separator: "\n").count >= 30 { break }
            usleep(5_000)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run finished before it could be killed")
        let before = (try? String(contentsOf: manifest, encoding: .utf8))?.split(separator: "\n").count ?? 0
        #expect(before < 120)

        let resumed = try runGANPrep(arguments + ["--out", interrupted.path])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(try manifestLines(interrupted) == manifestLines(reference))
        let files = { (d: URL) in try FileManager.default.contentsOfDirectory(atPath: d.appendingPathComponent("images").path).sorted() }
        #expect(try files(interrupted) == files(reference), "leftover or missing files after resume")
        // The resumed run fetched only what was missing.
        let requests = server.requestedPaths.count
        #expect(requests < 120 * 2 + 10, "\(requests) requests: finished records were fetched again")
    }

    @Test func malformedRecordsExitWithStatusTwoAndNameTheProblem() throws {
        let scratch = try TestPaths.temporaryDirectory("fetch-bad")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cases: [(text: String, name: String, mentions: [String])] = [
            ("[{\"url\": \"http://a/x.jpg\"},\n  {\"url\": ]", "bad.json", ["bad.json:2:", "unexpected character"]),
            ("[{\"url\": \"http://a/x.jpg\"},\n {\"description\": \"no url\"}]", "missing.json", ["missing.json:2:", "record 1", "has no url"]),
            ("[{\"url\": 42, \"description\": \"x\"}]", "types.json", ["types.json:1:", "record 0", "url is a number"]),
        ]
        for c in cases {
            let file = scratch.appendingPathComponent(c.name)
            try c.text.write(to: file, atomically: true, encoding: .utf8)
            let result = try runGANPrep(["fetch", file.path, "--out", scratch.appendingPathComponent("out").path, "--quiet"])
            #expect(result.status == 2, "\(c.name): exit \(result.status)")
            for word in c.mentions { #expect(result.stderr.contains(word), "\(c.name): \(result.stderr)") }
            // The records are read as a stream, but all of them are checked before anything is created.
            #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("out").path), "\(c.name): output created")
        }
        let missing = try runGANPrep(["fetch", scratch.appendingPathComponent("nope.json").path])
        #expect(missing.status == 2 && missing.stderr.contains("nope.json"))
        let badOption = try runGANPrep(["fetch", "x.json", "--parallel", "0"])
        #expect(badOption.status == 2 && badOption.stderr.contains("--parallel"))
    }

    @Test func recordsFromStandardInputAndSummaryFile() throws {
        let server = try CommandFixtures.imageServer()
        defer { server.stop() }
        let scratch = try TestPaths.temporaryDirectory("fetch-stdin")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let lines = (0..<3).map { "{\"url\": \"\(server.baseURL)/delay/1/\($0)\", \"description\": \"Bag\"}" }.joined(separator: "\n")
        let out = scratch.appendingPathComponent("out")
        let result = try runGANPrep(["fetch", "-", "--out", out.path], stdin: Data(lines.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ok 3"))
        let summary = try JSONParser.parse([UInt8](try Data(contentsOf: out.appendingPathComponent("summary.json"))))
        #expect(summary["counts"]?["ok"]?.intValue == 3 && summary["records"]?.intValue == 3)
        // Not a terminal: progress comes as plain lines, not a redrawn bar.
        #expect(!result.stderr.contains("\r"))
    }
}
