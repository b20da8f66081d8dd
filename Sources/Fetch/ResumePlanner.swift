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
///
/// It streams: the records file, once checked and counted (`count`: a
/// malformed file fails before anything is touched), is read again beside
/// the manifest's `ManifestIndex`; what it keeps in memory is a bit per record
/// (to do or not) and the owners of the kept files.
struct ResumePlanner {
    let source: RecordSource
    /// How many records the source holds (`count(_:)`).
    let records: Int
    let outputDirectory: String
    let manifestPath: String
    let onlyFailed: Bool
    /// Only these records are this run's (a manifest part holds no others).
    let shard: Shard

    /// What is kept, what is to do, and how many files failed verification.
    struct Plan {
        /// Records in the file, and in this run's shard.
        var records = 0
        var shardRecords = 0
        /// Entries kept from earlier runs (their lines stay in the manifest).
        var kept = 0
        /// The records to download.
        var todo = BitSet(count: 0)
        var todoCount = 0
        /// The lowest index holding each kept file's bytes.
        var owners = OwnerTable()
        /// `ok` or `duplicate` entries dropped because their file was missing
        /// or did not match its size and SHA-256.
        var unverified = 0
    }

    func plan() throws(FetchError) -> Plan {
        var plan = Plan()
        plan.records = records
        let previous: ManifestIndex
        do { previous = try ManifestIndex(path: manifestPath, records: plan.records) } catch { throw .manifest(error) }
        plan.todo = BitSet(count: plan.records)
        // Sized once for every record: growing by doubling held the old table and the new at once (37 MB at a million).
        plan.owners = OwnerTable(capacity: plan.records)
        let rewrite: ReplacementFile
        do { rewrite = try ReplacementFile(path: manifestPath) } catch { throw .storage(error) }
        var verdicts: [String: Bool] = [:]  // files of duplicate entries (shared with their owner), each hashed once
        do {
            let records = try source.open()
            while let record = try records.next() {
                guard shard.contains(record.index) else { continue }
                plan.shardRecords += 1
                // The line is read once: parsed here, and copied as it is if the entry is kept.
                let line = previous.line(record.index)
                let entry = line.flatMap { ManifestIndex.entry(in: $0, index: record.index) }
                let kept = keep(entry, of: record, verdicts: &verdicts, plan: &plan)
                // --only-failed: kept transient failures are tried again; records without a file and no entry that stays are not.
                let retry = kept.map { onlyFailed && $0.status.isTransient(httpCode: $0.httpCode) } ?? false
                if let kept, !retry {
                    try rewrite.write(line ?? [])
                    try rewrite.write(CollectionOfOne(0x0A))
                    plan.kept += 1
                    if kept.status == .ok, let sha = kept.sha256 { plan.owners.claim(OwnerTable.key(sha), for: kept.index) }
                } else if retry || !(onlyFailed && entry?.status.hasFile != true) {
                    plan.todo.insert(record.index)
                    plan.todoCount += 1
                }
            }
            if plan.kept != previous.lines { try rewrite.commit() } else { rewrite.abandon() }
        } catch let error as RecordsError {
            throw .records(error)
        } catch let error as StorageError {
            throw .storage(error)
        } catch {
            preconditionFailure("the planner threw \(error)")
        }
        return plan
    }

    /// Reads the whole records file once: every record checked, and counted.
    static func count(_ source: RecordSource) throws(FetchError) -> Int {
        do {
            let records = try source.open()
            var count = 0
            while try records.next() != nil { count += 1 }
            return count
        } catch {
            throw .records(error)
        }
    }

    /// The earlier entry of `record` when it can stay: the same URL and its file verified.
    private func keep(_ entry: ManifestEntry?, of record: Record, verdicts: inout [String: Bool], plan: inout Plan) -> ManifestEntry? {
        guard let entry, entry.url == record.url else { return nil }
        if entry.status.hasFile {
            guard let file = entry.file else { plan.unverified += 1; return nil }
            let matches: Bool
            if entry.status == .duplicate {
                matches = verdicts[file] ?? verify(file: file, entry: entry)
                verdicts[file] = matches
            } else {
                matches = verify(file: file, entry: entry)
            }
            guard matches else { plan.unverified += 1; return nil }
        }
        return entry
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
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
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

/// A set of record indices, a bit each.
struct BitSet {
    private var words: [UInt64]
    init(count: Int) { words = [UInt64](repeating: 0, count: (count + 63) / 64) }
    func contains(_ i: Int) -> Bool { i >= 0 && i / 64 < words.count && words[i / 64] & (1 << UInt64(i % 64)) != 0 }
    mutating func insert(_ i: Int) { words[i / 64] |= 1 << UInt64(i % 64) }
}
