import Foundation
@testable import Export
import Testing
import _TestSupport

@Suite struct ArchiveWriterTests {
    /// Python's zipfile and tarfile read what the writers wrote: every name, every byte, every CRC.
    static let read = """
        import json, sys, tarfile, zipfile
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None
        entries = {i.filename: z.read(i).hex() for i in z.infolist()}
        with tarfile.open(sys.argv[2]) as t:
            members = {m.name: t.extractfile(m).read().hex() for m in t.getmembers()}
        print(json.dumps({"zip": entries, "tar": members}))
        """

    func roundTrip(zip64Threshold: Int) throws {
        let dir = try TestPaths.temporaryDirectory("archives")
        defer { try? FileManager.default.removeItem(at: dir) }
        let files = (0..<70).map { i in (String(format: "%05d/img%08d.png", i / 30, i), (0..<(i * 37 % 1000)).map { UInt8(($0 * 7 + i) & 0xFF) }) }
        let zip = try ZipWriter(path: dir.appendingPathComponent("a.zip").path, zip64Threshold: zip64Threshold)
        let tars = dir.appendingPathComponent("tars")
        try FileManager.default.createDirectory(at: tars, withIntermediateDirectories: true)
        let tar = TarWriter(directory: tars.path, samplesPerShard: 1000)
        for (name, bytes) in files {
            try zip.add(name, bytes)
            try tar.add(name.replacingOccurrences(of: "/", with: "-"), bytes)
            try tar.endSample()
        }
        try zip.finish()
        try tar.finish()
        let result = try ProcessRunner.run("/usr/bin/python3", ["-c", Self.read, dir.appendingPathComponent("a.zip").path, tars.appendingPathComponent("00000.tar").path])
        #expect(result.status == 0, "\(result.stderr)")
        let read = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [String: String]])
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(read["zip"] == Dictionary(uniqueKeysWithValues: files.map { ($0.0, hex($0.1)) }))
        #expect(read["tar"] == Dictionary(uniqueKeysWithValues: files.map { ($0.0.replacingOccurrences(of: "/", with: "-"), hex($0.1)) }))
    }

    @Test func pythonReadsTheZipAndTheTar() throws { try roundTrip(zip64Threshold: 0xFFFF) }

    /// The zip64 end records (written past 65,535 entries), forced at 10 entries here.
    @Test func pythonReadsTheZip64EndRecords() throws { try roundTrip(zip64Threshold: 10) }

    @Test func classNamesBecomeOneFolderEachInsideTheOutput() {
        let names = ["T-shirt/top", "..", ".", "", "100%", "a\0b", "coat"]
        let folders = names.map(ExportLayout.folderName)
        #expect(folders == ["T-shirt%2Ftop", "%..", "%.", "%", "100%25", "a%00b", "coat"])
        #expect(Set(folders).count == names.count && folders.allSatisfy { !$0.contains("/") && $0 != "." && $0 != ".." && !$0.isEmpty })
    }
}
