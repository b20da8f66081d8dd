import Foundation
import Records
import Storage
import Support
#if canImport(Glibc)
import Glibc
#endif

/// Decides what a fetch run still has to do, from the manifest of earlier
/// runs: entries whose record is unchanged and whose file is really there —
/// the same size and SHA-256 as its manifest line says — are kept; every
/// other record is downloaded (again).
struct ResumePlanner {
    let records: [Record]
    let outputDirectory: String
    let manifestPath: String
    let onlyFailed: Bool
    /// Only these records are this run's (a manifest part holds no others).
    let shard: Shard

    /// What is kept, what is to do, and how many files failed verification.
    struct Plan {
        var kept: [Int: ManifestEntry]
        var todo: [Record]
        /// `ok` or `duplicate` entries dropped because their file was missing
        /// or did not match its size and SHA-256.
        var unverified: Int
    }

    func plan() throws(FetchError) -> Plan {
        let previous: (entries: [Int: ManifestEntry], skippedLines: Int, lines: Int)
        do { previous = try FetchManifest.read(path: manifestPath) } catch { throw .manifest(error) }
        var verdicts: [String: Bool] = [:]  // file -> matches, each file hashed once
        var kept: [Int: ManifestEntry] = [:]
        var unverified = 0
        for (index, entry) in previous.entries where index < records.count && records[index].url == entry.url && shard.contains(index) {
            if entry.status.hasFile {
                guard let file = entry.file else { unverified += 1; continue }
                let matches = verdicts[file] ?? verify(file: file, entry: entry)
                verdicts[file] = matches
                guard matches else { unverified += 1; continue }
            }
            kept[index] = entry
        }
        var todo: [Record] = []
        for record in records where shard.contains(record.index) {
            if let entry = kept[record.index] {
                let retry = onlyFailed && entry.status.isTransient(httpCode: entry.httpCode)
                if !retry { continue }
                kept[record.index] = nil
            } else if onlyFailed && previous.entries[record.index]?.status.hasFile != true {
                continue
            }
            todo.append(record)
        }
        if kept.count != previous.lines {
            do { try FetchManifest.rewrite(path: manifestPath, entries: kept) } catch { throw .storage(error) }
        }
        return Plan(kept: kept, todo: todo, unverified: unverified)
    }

    /// Whether `file` (relative to the output directory) has the size and
    /// SHA-256 that `entry` records. Hashing is cheap next to downloading.
    private func verify(file: String, entry: ManifestEntry) -> Bool {
        guard let expected = entry.sha256, !file.contains("..") else { return false }
        let path = outputDirectory + "/" + file
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var hasher = SHA256()
        var size = 0
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return false }
            if n == 0 { break }
            size += n
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        // Duplicates record the bytes of their own download, which are the owner's.
        if entry.status == .ok && size != entry.bytes { return false }
        return hasher.finalizeHex() == expected
    }
}
