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
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw .input(path: path, problem: .packManifestUnreadable(reason: error.localizedDescription))
        }
        var entries: [PackManifestEntry] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard let value = try? JSONParser.parse(Array(line.utf8)), let name = value["name"]?.stringValue else {
                throw .input(path: path, problem: .packManifestLine(number + 1))
            }
            var dropped: DropReason?
            if let text = value["dropped"]?.stringValue {
                guard let reason = DropReason(rawValue: text) else { throw .input(path: path, problem: .unknownDropReason(line: number + 1, reason: text)) }
                dropped = reason
            }
            entries.append(PackManifestEntry(
                input: value["input"]?.intValue, name: name, path: value["path"]?.stringValue, width: value["width"]?.intValue,
                height: value["height"]?.intValue, index: value["index"]?.intValue, dropped: dropped,
                of: value["of"]?.intValue, distance: value["distance"]?.intValue, detail: value["detail"]?.stringValue))
        }
        return entries
    }

    /// Kept images by the shorter side of their source, in power-of-two bins ("<32", "32-63", ..., ">=1024").
    public static func sizeHistogram(_ entries: [PackManifestEntry]) -> [(bin: String, count: Int)] {
        let edges = [32, 64, 128, 256, 512, 1024]
        var counts = [Int](repeating: 0, count: edges.count + 1)
        for e in entries where e.index != nil {
            guard let w = e.width, let h = e.height else { continue }
            let side = min(w, h)
            counts[edges.firstIndex { side < $0 } ?? edges.count] += 1
        }
        return counts.enumerated().map { i, n in
            let bin = i == 0 ? "<\(edges[0])" : i == edges.count ? ">=\(edges.last!)" : "\(edges[i - 1])-\(edges[i] - 1)"
            return (bin, n)
        }
    }
}
