import Foundation
import Storage
import Testing
import _TestSupport

/// A folder's entries as readdir gives them, each with what it is.
@Suite struct DirectoryListingTests {
    @Test func eachEntryIsNamedWithWhatItIsAndLinksCountAsWhatTheyPointTo() throws {
        let root = try TestPaths.temporaryDirectory("directory-listing")
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        try Data([1]).write(to: root.appendingPathComponent("a.png"))
        try Data([2]).write(to: root.appendingPathComponent(".hidden"))
        try fm.createDirectory(at: root.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("to-file").path, withDestinationPath: "a.png")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("to-folder").path, withDestinationPath: "sub")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("dangling").path, withDestinationPath: "missing")

        let listing = try #require(DirectoryListing(root.path))
        let kinds = Dictionary(uniqueKeysWithValues: listing.entries.map { ($0.name, $0.kind) })
        #expect(kinds == [".hidden": .file, "a.png": .file, "sub": .folder, "to-file": .file,
                          "to-folder": .linkToFolder, "dangling": .missing])

        // The names alone, without the type lookups: the same.
        #expect(DirectoryListing.names(root.path)?.sorted() == kinds.keys.sorted())
    }

    @Test func aFolderThatCannotBeOpenedIsNilWithErrnoSaying() {
        let missing = DirectoryListing("/nonexistent-ganprep-listing"), missingError = errno
        #expect(missing == nil && missingError == ENOENT)
        let missingNames = DirectoryListing.names("/nonexistent-ganprep-listing"), namesError = errno
        #expect(missingNames == nil && namesError == ENOENT)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ganprep-listing-\(getpid())")
        FileManager.default.createFile(atPath: file.path, contents: Data([1]))
        defer { try? FileManager.default.removeItem(at: file) }
        let notFolder = DirectoryListing(file.path), notFolderError = errno
        #expect(notFolder == nil && notFolderError == ENOTDIR)
    }
}
