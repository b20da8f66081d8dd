import DatasetFile
import Foundation
import Records
import Testing
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Two processes on one output: the second is refused at once, naming the
/// first's pid, and the first finishes with nothing lost.
@Suite struct ConcurrentWriterTests {
    /// Starts `ganprep arguments` in the background.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = productsDirectory.appendingPathComponent("ganprep")
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until `path` exists (the first process holds its lock).
    func waitFor(_ path: String, seconds: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: path) { return true }
            usleep(5_000)
        }
        return false
    }

    @Test func twoPacksToOneOutput() throws {
        let dir = try TestPaths.temporaryDirectory("pack-two")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try TestPaths.linkDemoImages(3000, into: dir)
        let out = dir.appendingPathComponent("data.h5").path
        let arguments = ["pack", input.path, "--out", out, "--size", "64", "--channels", "3", "--workers", "1", "--quiet"]
        let first = try start(arguments)
        #expect(waitFor(out + ".lock"), "the first pack never took its lock")
        let second = try runGANPrep(arguments)
        first.waitUntilExit()
        #expect(second.status == 2, "\(second.stderr)")
        #expect(second.stderr.contains(out) && second.stderr.contains("pid \(first.processIdentifier)"), "\(second.stderr)")
        #expect(first.terminationStatus == 0)
        // The first run's file is whole: every image holds a garment, none is zeros.
        let reader = try DatasetReader(path: out)
        #expect(reader.count == 3000)
        var images = [Float](repeating: 0, count: reader.count * reader.sampleSize)
        try images.withUnsafeMutableBufferPointer { try reader.read(start: 0, count: reader.count, into: $0) }
        var constant = 0
        for i in 0..<reader.count {
            let image = images[(i * reader.sampleSize)..<((i + 1) * reader.sampleSize)]
            if image.min() == image.max() { constant += 1 }
        }
        #expect(constant == 0, "\(constant) images are blank")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["data.h5", "data.h5.pack.jsonl", "demo-images"])
    }

    @Test func twoFetchesIntoOneDirectory() throws {
        let png = try TestPaths.fixtureBytes("images/gray.png")
        let server = try TestHTTPServer { request, connection in
            usleep(20_000)
            connection.respond(status: 200, headers: ["Content-Type": "image/png"], body: png + Array(request.path.utf8))
        }
        defer { server.stop() }
        let dir = try TestPaths.temporaryDirectory("fetch-two")
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = dir.appendingPathComponent("records.jsonl")
        try (0..<200).map { "{\"url\": \"\(server.baseURL)/img/\($0).png\", \"description\": \"Hose\"}" }
            .joined(separator: "\n").write(to: records, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("fetched").path
        let arguments = ["fetch", records.path, "--out", out, "--parallel", "4", "--quiet"]
        let first = try start(arguments)
        #expect(waitFor(out + "/.ganprep.lock"), "the first fetch never took its lock")
        let second = try runGANPrep(arguments)
        first.waitUntilExit()
        #expect(second.status == 2 && second.stderr.contains("pid \(first.processIdentifier)"), "\(second.stderr)")
        #expect(first.terminationStatus == 0)
        // Every file matches its manifest line: a re-run downloads nothing and verifies all.
        let again = try runGANPrep(arguments)
        #expect(again.status == 0 && !again.stderr.contains("did not match"), "\(again.stderr)")
        #expect(again.stdout.contains("fetched 0 records (200 already done)"), "\(again.stdout)")
        #expect(server.requestedPaths.count == 200)
    }

    @Test func twoResumesOfOneRun() throws {
        let dir = try TestPaths.temporaryDirectory("train-two")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try TestPaths.linkDemoImages(64, into: dir)
        let data = dir.appendingPathComponent("clothing.h5").path
        #expect(try runGANPrep(["pack", input.path, "--out", data, "--size", "16", "--channels", "1", "--quiet"]).status == 0)
        let run = dir.appendingPathComponent("run").path
        let arguments = ["train", data, "--model", "mlp", "--batch", "16", "--checkpoint-every", "2", "--out", run, "--threads", "1", "--quiet"]
        #expect(try runGANPrep(arguments + ["--steps", "2"]).status == 0)
        let first = try start(arguments + ["--steps", "100000", "--resume"])
        defer { kill(first.processIdentifier, SIGKILL); first.waitUntilExit() }
        #expect(waitFor(run + "/.ganprep.lock"), "the first resume never took its lock")
        let second = try runGANPrep(arguments + ["--steps", "100000", "--resume"])
        #expect(second.status == 2 && second.stderr.contains("pid \(first.processIdentifier)"), "\(second.stderr)")
        #expect(first.isRunning, "the first run was disturbed")
    }
}
