import Foundation
import Storage
#if canImport(Glibc)
import Glibc
#endif

/// A fetch manifest: JSON Lines, one entry per record, the single source of
/// truth for resume and for pack.
///
/// Lines are appended with one `write` each as records finish, so a process
/// killed at any moment leaves at most a torn last line, which reading skips;
/// a write cut short by a full disk is cut back to the last whole line.
/// When a record appears more than once, the last line wins.
public final class FetchManifest {
    /// The manifest's path.
    public var path: String { file.path }
    private let file: AppendFile

    /// Opens (creating if needed) the manifest at `path` for appending.
    public init(path: String) throws(StorageError) {
        file = try AppendFile(path: path)
    }

    /// Appends one entry as one whole line, in one write.
    public func append(_ entry: ManifestEntry) throws(StorageError) {
        try append([entry])
    }

    /// Appends entries as whole lines, all in one write (a failed write is
    /// cut back, so the file never ends in a part of these lines).
    public func append(_ entries: [ManifestEntry]) throws(StorageError) {
        guard !entries.isEmpty else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 320)
        for entry in entries {
            entry.writeJSON(to: &bytes)
            bytes.append(0x0A)
        }
        try file.append(bytes)
    }

    /// The entries of a manifest file, last line per index winning. Lines that
    /// do not parse (a line torn by a crash) are skipped and counted; empty
    /// lines are neither. Read a megabyte at a time: only the entries are held.
    public static func read(path: String) throws(RecordsError) -> (entries: [Int: ManifestEntry], skippedLines: Int, lines: Int) {
        guard FileManager.default.fileExists(atPath: path) else { return ([:], 0, 0) }
        var entries: [Int: ManifestEntry] = [:]
        var skipped = 0
        var lines = 0
        do {
            try LineReader.forEachLine(path: path) { line, _, _ in
                guard !line.isEmpty else { return }
                lines += 1
                guard let json = try? JSONParser.parse(Array(line)), let entry = ManifestEntry(json: json) else {
                    skipped += 1
                    return
                }
                entries[entry.index] = entry
            }
        } catch let error as RecordsError {
            throw error
        } catch {
            preconditionFailure("reading \(path) threw \(error)")
        }
        return (entries, skipped, lines)
    }

    /// Rewrites the manifest with exactly `entries`, one line each in index
    /// order, through a temporary file renamed over the old one.
    /// `entries` is keyed by record index and taken over: each entry is moved
    /// out as it is written, where sorting an array of them copied every one
    /// (a retain and a release per string field, twice; 1.5% of a fetch's CPU).
    public static func rewrite(path: String, entries: consuming [Int: ManifestEntry]) throws(StorageError) {
        var remaining = entries
        var bytes: [UInt8] = []
        bytes.reserveCapacity(remaining.count * 320)
        for index in remaining.keys.sorted() {
            remaining.removeValue(forKey: index)!.writeJSON(to: &bytes)
            bytes.append(0x0A)
        }
        try FileWriting.replace(path, with: bytes)
    }
}
