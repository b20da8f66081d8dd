import Foundation
import HDF5
import Testing

@Suite struct HDF5FileTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(UUID().uuidString)-\(name)").path
    }

    @Test func chunkedExtendableFloatDatasetAppendsAndReadsBack() throws {
        let path = temporaryPath("append.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = (0..<(2 * 3 * 4)).map { Float($0) * 0.5 - 3 }
        let second = (0..<(3 * 3 * 4)).map { Float($0) * -0.25 + 1 }
        do {
            let file = try HDF5File.create(path)
            let dataset = try file.createDataset("images", of: Float.self, shape: [2, 3, 4], maxShape: [nil, 3, 4], chunk: [1, 3, 4])
            try dataset.write(first)
            try dataset.extend(to: [5, 3, 4])
            try dataset.write(second, start: [2, 0, 0], count: [3, 3, 4])
            try file.setAttribute("format", .string("ganprep"))
            try file.setAttribute("height", .integers([3]))
        }
        let file = try HDF5File.open(path)
        let dataset = try file.openDataset("images")
        #expect(dataset.shape == [5, 3, 4])
        #expect(dataset.maxShape == [nil, 3, 4])
        #expect(dataset.chunkShape == [1, 3, 4])
        #expect(dataset.typeClass == .float(bytes: 4))
        #expect(try dataset.readAll(Float.self) == first + second)
        #expect(try dataset.read(Float.self, start: [3, 0, 0], count: [1, 3, 4]) == Array(second[12..<24]))
        #expect(try file.attribute("format") == .string("ganprep"))
        #expect(try file.attribute("height").intValue == 3)
        #expect(Set(file.attributeNames()) == ["format", "height"])
    }

    @Test func stringDatasetsRoundTripUnicode() throws {
        let path = temporaryPath("strings.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let texts = ["Ankle boot", "Kleid – blau", "T-shirt/top", ""]
        do {
            let file = try HDF5File.create(path)
            let dataset = try file.createStringDataset("descriptions", strings: Array(texts.prefix(2)))
            try dataset.extend(to: [4])
            try dataset.writeStrings(Array(texts.suffix(2)), start: 2)
        }
        let file = try HDF5File.open(path)
        #expect(try file.openDataset("descriptions").readStrings() == texts)
        #expect(try file.openDataset("descriptions").readStrings(start: 1, count: 2) == Array(texts[1...2]))
    }

    @Test func missingObjectsAndForeignFilesGiveTypedErrors() throws {
        let path = temporaryPath("plain.txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data("not hdf5".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: HDF5Error.notHDF5(path: path)) { try HDF5File.open(path) }
        let h5 = temporaryPath("empty.h5")
        defer { try? FileManager.default.removeItem(atPath: h5) }
        _ = try HDF5File.create(h5)
        let file = try HDF5File.open(h5)
        #expect(throws: HDF5Error.notFound(path: h5, object: "/images")) { try file.openDataset("images") }
    }

    @Test func readingStringsAsNumbersIsAMismatch() throws {
        let path = temporaryPath("mismatch.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try HDF5File.create(path)
        let dataset = try file.createStringDataset("urls", strings: ["a"])
        #expect(throws: HDF5Error.self) { try dataset.readAll(Float.self) }
    }

    /// `close` finishes the file while the object lives on (what a writer
    /// needs before renaming it), and refuses while something opened from it
    /// is still open, which would keep libhdf5's file open past the call.
    @Test func closeFinishesTheFileNowOrRefusesWhileObjectsAreOpen() throws {
        let path = temporaryPath("close.h5")
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Superblock version 0, as libhdf5 writes by default: the file consistency flags are bytes 20...23.
        func consistencyFlags() throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))[20..<24]) }
        let file = try HDF5File.create(path)
        var dataset: HDF5Dataset? = try file.createDataset("x", of: Float.self, shape: [4])
        try dataset?.write([1, 2, 3, 4] as [Float])
        try file.flush()
        #expect(try consistencyFlags() != [0, 0, 0, 0], "an open file is marked open for writing")
        do {
            try file.close()
            Issue.record("closed with a dataset open")
        } catch {
            #expect(error.description.contains(path) && error.description.contains("1 objects opened from it are still open"), "\(error)")
        }
        dataset = nil
        try file.close()
        #expect(try consistencyFlags() == [0, 0, 0, 0], "closed on disk while the HDF5File is still referenced")
        try file.close()  // a second close does nothing
        #expect(throws: HDF5Error.self) { try file.setAttribute("late", .integers([1])) }
        let reopened = try HDF5File.open(path, mode: .readWrite)
        #expect(try reopened.openDataset("x").readAll(Float.self) == [1, 2, 3, 4])
    }
}
