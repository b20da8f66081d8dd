import Foundation
import Records

/// One line of a pack manifest (`OUT.pack.jsonl`).
public struct PackManifestEntry: Sendable {
    /// Position among the images pack considered (nil for those the input scan left out).
    public var input: Int?
    /// The input's name.
    public var name: String
    /// The source file.
    public var path: String?
    /// The source's pixel size, where it was read.
    public var width: Int?
    /// Its source's height in pixels, when decoded.
    public var height: Int?
    /// Index in the dataset of a kept image.
    public var index: Int?
    /// Why a dropped image was left out.
    public var dropped: DropReason?
    /// The kept image a duplicate duplicates, and at what Hamming distance.
    public var of: Int?
    /// Bits between its perceptual hash and the kept image's (near-duplicates).
    public var distance: Int?
    /// What the reason is about (the decoder's message, the filter's figures).
    public var detail: String?
}

/// Reads a pack manifest written by `Packer`.
public enum PackManifest {
    /// The entries of `path`; a line that is not one is an error naming its number.
    public static func read(_ path: String) throws(PackError) -> [PackManifestEntry] {
        var entries: [PackManifestEntry] = []
        try forEach(path) { entries.append($0) }
        return entries
    }

    /// Each entry of `path` in turn, read a line at a time (a million
    /// images' manifest is never all in memory).
    public static func forEach(_ path: String, _ body: (PackManifestEntry) -> Void) throws(PackError) {
        var number = 0
        do {
            try LineReader.forEachLine(path: path) { line, _, _ in
                guard !line.isEmpty else { return }
                number += 1
                body(try entry(line, number: number, path: path))
            }
        } catch let error as PackError {
            throw error
        } catch {
            throw .input(path: path, problem: .packManifestUnreadable(reason: "\(error)"))
        }
    }

    private static func entry(_ line: ArraySlice<UInt8>, number: Int, path: String) throws(PackError) -> PackManifestEntry {
        guard let value = try? JSONParser.parse(Array(line)), let name = value["name"]?.stringValue else {
            throw .input(path: path, problem: .packManifestLine(number))
        }
        var dropped: DropReason?
        if let text = value["dropped"]?.stringValue {
            guard let reason = DropReason(rawValue: text) else { throw .input(path: path, problem: .unknownDropReason(line: number, reason: text)) }
            dropped = reason
        }
        return PackManifestEntry(
            input: value["input"]?.intValue, name: name, path: value["path"]?.stringValue, width: value["width"]?.intValue,
            height: value["height"]?.intValue, index: value["index"]?.intValue, dropped: dropped,
            of: value["of"]?.intValue, distance: value["distance"]?.intValue, detail: value["detail"]?.stringValue)
    }

    /// Kept images by the shorter side of their source, in power-of-two bins ("<32", "32-63", ..., ">=1024").
    public static func sizeHistogram(_ entries: some Sequence<PackManifestEntry>) -> [(bin: String, count: Int)] {
        var histogram = SizeHistogram()
        for entry in entries { histogram.add(entry) }
        return histogram.bins
    }
}

/// Kept images counted by the shorter side of their source, one entry at a time.
public struct SizeHistogram: Sendable {
    private static let edges = [32, 64, 128, 256, 512, 1024]
    private var counts = [Int](repeating: 0, count: edges.count + 1)

    /// An empty histogram.
    public init() {}

    /// Counts `entry` when it is a kept image whose size was read.
    public mutating func add(_ entry: PackManifestEntry) {
        guard entry.index != nil, let w = entry.width, let h = entry.height else { return }
        let side = min(w, h)
        counts[Self.edges.firstIndex { side < $0 } ?? Self.edges.count] += 1
    }

    /// The bins ("<32", "32-63", ..., ">=1024") and their counts.
    public var bins: [(bin: String, count: Int)] {
        let edges = Self.edges
        return counts.enumerated().map { i, n in
            let bin = i == 0 ? "<\(edges[0])" : i == edges.count ? ">=\(edges.last!)" : "\(edges[i - 1])-\(edges[i] - 1)"
            return (bin, n)
        }
    }
}
