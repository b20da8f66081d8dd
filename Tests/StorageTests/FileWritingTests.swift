import Foundation
import Storage
import Testing
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

@Suite struct FileWritingTests {
    @Test func aFullDeviceIsReportedAsNoSpaceWithThePath() throws {
        // /dev/full answers every write with ENOSPC.
        let file = try AppendFile(path: "/dev/full")
        #expect(throws: StorageError.noSpace(path: "/dev/full")) { try file.appendLine("step,loss") }
        #expect(StorageError.noSpace(path: "/dev/full").description.contains("no space left on device"))
    }

    @Test func replaceLeavesTheOldFileOrTheNewOneAndNoTemporary() throws {
        let directory = try TestPaths.temporaryDirectory("replace")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("summary.json").path
        try FileWriting.replace(path, withText: "old\n")
        try FileWriting.replace(path, withText: "new\n")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["summary.json"])
        // A directory in the way: the error names it, the temporary file is gone.
        let blocked = directory.appendingPathComponent("blocked").path
        try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: false)
        #expect { try FileWriting.replace(blocked, withText: "x") } throws: { "\($0)".contains(blocked) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["blocked", "summary.json"])
    }
}
