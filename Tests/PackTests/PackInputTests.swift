@testable import Pack
import Foundation
import Records
import Testing
import _TestSupport

/// Which files of a plain folder pack takes, walking it with readdir.
@Suite struct PackInputTests {
    @Test func aFolderWalkKeepsFilesAndLinksToFilesAtAnyDepthAndLeavesOutHiddenNamesAndLinkedFolders() throws {
        let root = try TestPaths.temporaryDirectory("pack-input")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        func file(_ path: String) throws {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data([1, 2, 3]).write(to: url)
        }
        try file("a.png")
        try file(".hidden.png")
        try file("shirts/b.jpg")
        try file("shirts/long/c.jpg")
        try file(".cache/d.png")  // a hidden folder is walked (as before); only hidden names are left out
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("link.png").path, withDestinationPath: "a.png")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("linked-folder").path, withDestinationPath: "shirts")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("dangling.png").path, withDestinationPath: "missing.png")
        try fm.createDirectory(at: root.appendingPathComponent("empty"), withIntermediateDirectories: true)

        let found = try PackInput.files(under: root.path).sorted()
        #expect(found == [".cache/d.png", "a.png", "link.png", "shirts/b.jpg", "shirts/long/c.jpg"])

        // The items: sorted paths, descriptions from the names, labels from the first sub-folder.
        let scanned = try PackInput.scan(root.path)
        #expect(scanned.items.map(\.url) == found)
        #expect(scanned.items.map(\.description) == ["d", "a", "link", "b", "c"])
        #expect(scanned.items.map(\.label) == [".cache", nil, nil, "shirts", "shirts"])
    }

    @Test func aFolderThatCannotBeListedIsNamed() throws {
        #expect(throws: PackError.self) { try PackInput.files(under: "/nonexistent-ganprep-folder") }
        do {
            _ = try PackInput.files(under: "/nonexistent-ganprep-folder")
        } catch {
            #expect(error.description.contains("/nonexistent-ganprep-folder") && error.description.contains("No such file"))
        }
    }

    /// A folder's image is described by its name without folders and
    /// extension, as Foundation's path functions give it.
    @Test func anImagesDescriptionIsItsNameWithoutFoldersAndExtensionAsNSStringHasIt() {
        let names = ["a.png", "a.b.png", "a", "a.", "a..", "a..png", "a.b.", "dir/a.jpg", "dir.x/a", "x/y/z.tar.gz", "a/b.",
                     "été.jpeg", "a .png", "a.p ng", "a.png ", "a.\u{1F600}", "dir/sub/no-extension", "ü/ö.ä"]
        for name in names {
            #expect(PackInput.stem(of: name) == ((name as NSString).lastPathComponent as NSString).deletingPathExtension, "\(name)")
        }
        #expect(PackInput.stem(of: "shirts/blue.shirt.jpg") == "blue.shirt")
    }

    /// A fetch directory's manifest is read back a line at a time: left
    /// unsorted by an interrupted fetch, with a record's line repeated, the
    /// items come in record order from each record's last line, duplicates
    /// are skipped with their reason, failures and unsafe paths left out.
    @Test func aManifestIsReadInRecordOrderFromEachRecordsLastLine() throws {
        let root = try TestPaths.temporaryDirectory("pack-manifest")
        defer { try? FileManager.default.removeItem(at: root) }
        func entry(_ index: Int, _ note: String, _ status: FetchStatus = .ok, file: String? = nil) -> ManifestEntry {
            ManifestEntry(index: index, url: "http://h/\(index)", description: note, status: status, sha256: String(repeating: "a", count: 64),
                          file: file ?? "images/\(index).png", error: status == .duplicate ? "same bytes as record 0" : nil)
        }
        let lines = [entry(3, "three"), entry(0, "zero, first"), entry(5, "failed", .httpError), entry(1, "one"),
                     entry(0, "zero"), entry(4, "dup", .duplicate), entry(6, "escape", file: "images/../../etc/passwd"), entry(7, "seven")]
        var bytes: [UInt8] = []
        for line in lines { line.writeJSON(to: &bytes); bytes.append(0x0A) }
        bytes += Array("{\"index\":2,\"url\":\"torn".utf8)
        try Data(bytes).write(to: root.appendingPathComponent("manifest.jsonl"))
        let scanned = try PackInput.scan(root.path)
        #expect(scanned.items.map(\.description) == ["zero", "one", "three", "seven"])
        #expect(scanned.items.map(\.name) == ["record 0 (images/0.png)", "record 1 (images/1.png)", "record 3 (images/3.png)", "record 7 (images/7.png)"])
        #expect(scanned.items.allSatisfy { $0.path.hasPrefix(root.path + "/images/") })
        #expect(scanned.skipped.map(\.name) == ["record 4", "record 6"])
        #expect(scanned.skipped.map(\.reason) == [.duplicate, .input])
        let shard = try PackInput.scan(root.path, shard: Shard(index: 1, count: 2))
        #expect(shard.items.map(\.description) == ["one", "three", "seven"], "the odd records")
    }
}
