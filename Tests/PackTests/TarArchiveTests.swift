import Foundation
@testable import Pack
import Testing
import _TestSupport

@Suite struct TarArchiveTests {
    /// Members written by Python's tarfile in each of its formats (ustar, GNU long names, pax paths),
    /// listed by tarfile itself: names, data offsets and sizes must be the same.
    static let write = """
        import io, json, sys, tarfile
        formats = {"ustar": tarfile.USTAR_FORMAT, "gnu": tarfile.GNU_FORMAT, "pax": tarfile.PAX_FORMAT}
        out = {}
        for name, fmt in formats.items():
            path = f"{sys.argv[1]}/{name}.tar"
            with tarfile.open(path, "w", format=fmt) as tar:
                for member, size in (("a.png", 3), ("b/" + "x" * (90 if fmt == tarfile.USTAR_FORMAT else 180) + ".json", 700),
                                     ("ünï.txt" if fmt != tarfile.USTAR_FORMAT else "c.txt", 0), ("d.bin", 512)):
                    info = tarfile.TarInfo(member); info.size = size
                    tar.addfile(info, io.BytesIO(bytes(range(256)) * (size // 256) + bytes(size % 256)))
            with tarfile.open(path) as tar:
                out[name] = [[m.name, m.offset_data, m.size] for m in tar.getmembers()]
        print(json.dumps(out))
        """

    @Test func membersMatchPythonsTarfileInEveryFormat() throws {
        let dir = try TestPaths.temporaryDirectory("tar-formats")
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try ProcessRunner.run("/usr/bin/python3", ["-c", Self.write, dir.path])
        #expect(result.status == 0, "\(result.stderr)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: [[Any]]])
        #expect(listed.count == 3)
        for (format, members) in listed {
            let archive = TarArchive(path: dir.appendingPathComponent("\(format).tar").path)
            #expect(archive.damage == nil, "\(format): \(String(describing: archive.damage))")
            let mine = archive.members.map { "\($0.name) \($0.offset) \($0.size)" }
            let theirs = members.map { "\($0[0]) \($0[1]) \($0[2])" }
            #expect(mine == theirs, "\(format)")
            let bytes = try #require(TarArchive.read(archive.members[1], from: dir.appendingPathComponent("\(format).tar").path))
            #expect(bytes.count == 700 && bytes[255] == 255 && bytes[699] == 0)
        }
    }

    @Test func damageStopsTheScanAndKeepsTheMembersBefore() throws {
        let dir = try TestPaths.temporaryDirectory("tar-damage")
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = try ProcessRunner.run("/usr/bin/python3", ["-c", Self.write, dir.path])
        #expect(good.status == 0)
        let path = dir.appendingPathComponent("gnu.tar").path
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let damaged = dir.appendingPathComponent("damaged.tar").path
        // A checksum broken in the second header (after a.png's one data block).
        bytes[1024 + 150] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: damaged))
        let archive = TarArchive(path: damaged)
        #expect(archive.members.map(\.name) == ["a.png"] && archive.damage == .badChecksum(offset: 1024))
        // Cut inside a member's data: the members before it, and the size it declared.
        try Data(bytes.prefix(1024 + 100)).write(to: URL(fileURLWithPath: damaged))
        #expect(TarArchive(path: damaged).damage == .truncatedHeader(offset: 1024))
        // Random bytes, an empty file, and a missing one: no members, a damage, no crash.
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255) }).write(to: URL(fileURLWithPath: damaged))
        #expect(TarArchive(path: damaged).members.isEmpty && TarArchive(path: damaged).damage != nil)
        try Data().write(to: URL(fileURLWithPath: damaged))
        #expect(TarArchive(path: damaged).members.isEmpty && TarArchive(path: damaged).damage == nil)
        #expect(TarArchive(path: dir.appendingPathComponent("missing.tar").path).damage == .unreadable(errno: ENOENT))
    }

    @Test func sizeFieldsInOctalAndBase256() {
        #expect(TarArchive.number(ArraySlice(Array("00000001750\0".utf8))) == 1000)
        #expect(TarArchive.number(ArraySlice([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00])) == 256)
        #expect(TarArchive.number(ArraySlice(Array("0000000009\0\0".utf8))) == nil)
        #expect(TarArchive.number(ArraySlice([0xFF] + Array(repeating: UInt8(0xFF), count: 11))) == nil)
    }
}

@Suite struct Img2DatasetNameTests {
    @Test func unsafeNamesAreThoseThatCouldLeaveAFolder() {
        for name in ["/abs.png", "../x.png", "a/../../x.png", "a/..", "..", "/"] { #expect(Img2DatasetInput.isUnsafe(name), "\(name)") }
        for name in ["a.png", "a..b.png", "...", "a/...b/c.png", "..a/b.png", "d/e/f.jpg", ""] { #expect(!Img2DatasetInput.isUnsafe(name), "\(name)") }
    }

    @Test func keysAreTheNameUpToTheFirstDotOfItsLastComponent() {
        #expect(Img2DatasetInput.split("000001.png")! == ("000001", "png"))
        #expect(Img2DatasetInput.split("a.b/000001.seg.PNG")! == ("a.b/000001", "seg.png"))
        #expect(Img2DatasetInput.split("dir/noext") == nil && Img2DatasetInput.split(".hidden") == nil)
    }
}
