import Foundation
import Storage

/// The manifests of a fetch output directory: `manifest.jsonl` of a fetch
/// of the whole records file, or the parts `manifest.part-I-of-N.jsonl` that
/// the N shards of one fetch wrote into a shared directory.
///
/// Reading the parts joins them into what one process would have written:
/// each shard judged duplicates only among its own records, so across
/// parts the same bytes (same SHA-256) stay `ok` in the record with the
/// lowest index and become `duplicate` in the others.
public enum FetchDirectory {
    /// The manifest's file name for a shard (`manifest.jsonl` for the whole records file).
    public static func manifestName(shard: Shard) -> String {
        shard.isWhole ? "manifest.jsonl" : "manifest.\(shard.tag).jsonl"
    }

    /// The summary's file name for a shard (`summary.json` for the whole records file).
    public static func summaryName(shard: Shard) -> String {
        shard.isWhole ? "summary.json" : "summary.\(shard.tag).json"
    }

    /// Whether `directory` is a fetch output (holds a manifest or manifest parts of one fetch).
    public static func isFetchOutput(_ directory: String) -> Bool { !((try? manifests(in: directory)) ?? []).isEmpty }

    /// The manifest files in `directory`: `manifest.jsonl`, or every part,
    /// sorted by shard. Empty when there is none.
    /// - Throws: `.unreadable` when the directory mixes a whole manifest and
    ///   parts, or parts of different shard counts (two different fetches).
    public static func manifests(in directory: String) throws(RecordsError) -> [String] {
        let names = DirectoryListing.names(directory) ?? []
        var parts: [(index: Int, count: Int, name: String)] = []
        for name in names where name.hasPrefix("manifest.part-") && name.hasSuffix(".jsonl") {
            let core = name.dropFirst("manifest.part-".count).dropLast(".jsonl".count).split(separator: "-")
            guard core.count == 3, core[1] == "of", let i = Int(core[0]), let n = Int(core[2]) else { continue }
            parts.append((i, n, name))
        }
        let whole = names.contains("manifest.jsonl")
        if whole && !parts.isEmpty {
            throw .unreadable(file: directory, problem: .mixedManifests(part: parts[0].name))
        }
        let counts = Set(parts.map(\.count))
        if counts.count > 1 {
            throw .unreadable(file: directory, problem: .mixedShardCounts(counts.sorted()))
        }
        if whole { return [directory + "/manifest.jsonl"] }
        return parts.sorted { $0.index < $1.index }.map { directory + "/" + $0.name }
    }

    /// Every record's entry in the directory, joined over the parts, with
    /// duplicates across parts marked; and how many manifests were read.
    public static func entries(in directory: String) throws(RecordsError) -> (entries: [Int: ManifestEntry], manifests: Int) {
        let files = try manifests(in: directory)
        var entries: [Int: ManifestEntry] = [:]
        for file in files {
            for (index, entry) in try FetchManifest.read(path: file).entries { entries[index] = entry }
        }
        if files.count > 1 { markDuplicatesAcrossParts(&entries) }
        return (entries, files.count)
    }

    /// The same bytes in several `ok` entries: the lowest index keeps them,
    /// and every other entry of those bytes names it.
    static func markDuplicatesAcrossParts(_ entries: inout [Int: ManifestEntry]) {
        var owners: [String: Int] = [:]
        for (index, entry) in entries where entry.status == .ok {
            if let sha = entry.sha256 { owners[sha] = min(owners[sha] ?? index, index) }
        }
        for (index, entry) in entries where entry.status.hasFile {
            guard let sha = entry.sha256, let owner = owners[sha], owner != index else { continue }
            var marked = entry
            marked.status = .duplicate
            marked.error = "same bytes as record \(owner)"
            entries[index] = marked
        }
    }
}
