import Records
import Storage

/// The end of a fetch run: the manifest, appended to in the order records
/// finished, is rewritten with one line per record in index order, the same
/// file whatever the completion order or the number of interruptions. Read
/// through a `ManifestIndex` and written through a `ReplacementFile`, so a
/// million lines need neither in memory.
///
/// Here duplicates are settled: where a lower index holds the same bytes
/// (the same SHA-256, confirmed on the owner's line, not only the 64 bits
/// `OwnerTable` keeps), the entry is a duplicate that names it.
struct ManifestCompaction {
    let manifestPath: String
    let records: Int
    let owners: OwnerTable

    /// Rewrites the manifest; returns how many entries of each status it holds.
    func run() throws(FetchError) -> [FetchStatus: Int] {
        let index: ManifestIndex
        do { index = try ManifestIndex(path: manifestPath, records: records) } catch { throw .manifest(error) }
        var counts: [FetchStatus: Int] = [:]
        do {
            let out = try ReplacementFile(path: manifestPath)
            var line: [UInt8] = []
            for i in 0..<records {
                guard let raw = index.line(i), var entry = ManifestIndex.entry(in: raw, index: i) else { continue }
                if let owner = confirmedOwner(of: entry, index: index), owner != i {
                    entry.status = .duplicate
                    entry.error = "same bytes as record \(owner)"
                    line.removeAll(keepingCapacity: true)
                    entry.writeJSON(to: &line)
                    try out.write(line)
                } else {
                    try out.write(raw)
                }
                try out.write(CollectionOfOne(0x0A))
                counts[entry.status, default: 0] += 1
            }
            try out.commit()
        } catch {
            throw .storage(error)
        }
        return counts
    }

    /// The lowest index whose bytes are the entry's, when its line says the same SHA-256.
    private func confirmedOwner(of entry: ManifestEntry, index: ManifestIndex) -> Int? {
        guard entry.status.hasFile, let sha = entry.sha256, let owner = owners[OwnerTable.key(sha)] else { return nil }
        if owner == entry.index { return owner }
        return index.entry(owner)?.sha256 == sha ? owner : nil
    }
}
