import Foundation
import HDF5
import Testing

/// `HDF5File.replacing`: the new file appears whole under its name, closed
/// before its rename, or not at all, and the temporary never stays behind.
@Suite struct HDF5ReplacementTests {
    func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("replacing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func names(_ dir: URL) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() }

    func values(_ path: String) throws -> [Float] { try HDF5File.open(path).openDataset("x").readAll(Float.self) }

    /// Superblock version 0's file consistency flags (bytes 20...23): zero once libhdf5 has closed the file.
    func consistencyFlags(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))[20..<24]) }

    @Test func theNewFileReplacesTheOldOneClosedAndWhole() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.h5").path, temporary = path + ".1.partial"
        try HDF5File.replacing(path, temporary: temporary) { file throws(HDF5Error) in
            try file.createDataset("x", of: Float.self, shape: [2]).write([1, 2] as [Float])
        }
        let count = try HDF5File.replacing(path, temporary: temporary) { file throws(HDF5Error) -> Int in
            // Until the body returns, the old file is what `path` holds.
            #expect(try HDF5File.open(path).openDataset("x").readAll(Float.self) == [1, 2])
            try file.createDataset("x", of: Float.self, shape: [3]).write([4, 5, 6] as [Float])
            return 3
        }
        #expect(count == 3)
        #expect(try values(path) == [4, 5, 6])
        #expect(try consistencyFlags(path) == [0, 0, 0, 0], "left marked open for writing")
        #expect(try names(dir) == ["out.h5"])
    }

    @Test func aFailingBodyLeavesTheOldFileAndNoTemporary() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.h5").path, temporary = path + ".1.partial"
        try HDF5File.replacing(path, temporary: temporary) { file throws(HDF5Error) in
            try file.createDataset("x", of: Float.self, shape: [2]).write([1, 2] as [Float])
        }
        #expect(throws: HDF5Error.notFound(path: temporary, object: "/missing")) {
            try HDF5File.replacing(path, temporary: temporary) { file throws(HDF5Error) in
                try file.createDataset("x", of: Float.self, shape: [1]).write([9] as [Float])
                _ = try file.openDataset("missing")
            }
        }
        #expect(try values(path) == [1, 2])
        #expect(try names(dir) == ["out.h5"])
    }

    @Test func anObjectStillOpenRefusesTheCloseAndTheRename() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("out.h5").path, temporary = path + ".1.partial"
        var kept: HDF5Dataset?
        do {
            try HDF5File.replacing(path, temporary: temporary) { file throws(HDF5Error) in
                kept = try file.createDataset("x", of: Float.self, shape: [1])
            }
            Issue.record("renamed with a dataset still open")
        } catch {
            #expect(error.description.contains("still open"), "\(error)")
        }
        #expect(kept != nil)
        kept = nil
        #expect(try names(dir).isEmpty)
    }

    @Test func aFailedRenameNamesTheOutputAndRemovesTheTemporary() throws {
        let dir = try directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A non-empty directory where the file should go: refused before the rename (rename(2) would refuse it too).
        let path = dir.appendingPathComponent("out.h5").path, temporary = dir.appendingPathComponent("out.h5.1.partial").path
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        do {
            try HDF5File.replacing(path, temporary: temporary) { file throws(HDF5Error) in
                try file.createDataset("x", of: Float.self, shape: [1]).write([1] as [Float])
            }
            Issue.record("renamed onto a directory")
        } catch {
            #expect(error.description.contains(path) && error.description.contains("is a directory"), "\(error)")
        }
        #expect(try names(dir) == ["out.h5"])
        #expect(FileManager.default.fileExists(atPath: path + "/inside"))
    }
}
