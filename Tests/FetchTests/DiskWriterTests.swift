@testable import Fetch
import Foundation
import Records
import Testing
import _TestSupport

/// The writer thread on a real directory, every way of giving a file its
/// name: an unnamed file (O_TMPFILE) linked in by its descriptor or through
/// /proc, and a temporary name renamed.
@Suite struct DiskWriterTests {
    func entry(_ index: Int, file: String) -> ManifestEntry {
        ManifestEntry(index: index, url: "http://example.test/\(index)", description: "image \(index)", status: .ok,
                      bytes: 3, file: file)
    }

    @Test(arguments: DiskWriter.Naming.allCases)
    func storesWholeFilesThenTheirLinesAndLeavesNothingElse(naming: DiskWriter.Naming) throws {
        let directory = try TestPaths.temporaryDirectory("disk-writer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let images = directory.path + "/images"
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        let manifestPath = directory.path + "/manifest.jsonl"
        let writer = DiskWriter(manifest: try FetchManifest(path: manifestPath), naming: naming)
        // A file already there under a final name (an earlier run's, which did not verify) is replaced whole.
        try Data([9, 9, 9, 9, 9, 9]).write(to: URL(fileURLWithPath: images + "/b.png"))
        for (index, name) in ["a", "b", "c"].enumerated() {
            writer.store(body: [UInt8(index), 1, 2], temporaryPath: images + "/.partial-\(index)",
                         finalPath: images + "/\(name).png", entry: entry(index, file: "images/\(name).png"))
        }
        writer.append(ManifestEntry(index: 3, url: "bad", description: "", status: .invalidRecord, error: "not a URL"))
        #expect(writer.drain() == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: images).sorted() == ["a.png", "b.png", "c.png"])
        for (index, name) in ["a", "b", "c"].enumerated() {
            #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: images + "/\(name).png"))) == [UInt8(index), 1, 2])
        }
        let manifest = try FetchManifest.read(path: manifestPath)
        #expect(manifest.lines == 4 && manifest.skippedLines == 0)
        #expect(manifest.entries[1]?.file == "images/b.png" && manifest.entries[3]?.status == .invalidRecord)
    }

    @Test func aFailureNamesThePathAndStopsTheLinesOfLaterFiles() throws {
        let directory = try TestPaths.temporaryDirectory("disk-writer-fail")
        defer { try? FileManager.default.removeItem(at: directory) }
        let manifestPath = directory.path + "/manifest.jsonl"
        let writer = DiskWriter(manifest: try FetchManifest(path: manifestPath))
        let missing = directory.path + "/no-such-folder"
        writer.store(body: [1], temporaryPath: directory.path + "/.partial-0", finalPath: directory.path + "/ok.png",
                     entry: entry(0, file: "ok.png"))
        writer.store(body: [2], temporaryPath: missing + "/.partial-1", finalPath: missing + "/x.png",
                     entry: entry(1, file: "no-such-folder/x.png"))
        writer.store(body: [3], temporaryPath: directory.path + "/.partial-2", finalPath: directory.path + "/late.png",
                     entry: entry(2, file: "late.png"))
        let failure = try #require(writer.drain())
        #expect(failure.description.contains("no-such-folder"), "the message names the path: \(failure)")
        let manifest = try FetchManifest.read(path: manifestPath)
        #expect(Set(manifest.entries.keys) == [0], "only the line of the file stored before the failure")
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/late.png"))
    }
}
