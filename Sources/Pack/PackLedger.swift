import Foundation
import Records
import Storage
import Support

/// The fate of every input image of a pack, decided and written in input
/// order: the pack manifest (`OUT.pack.jsonl`, one JSON object per input
/// image: its `index` in the file, or why it was `dropped`, with the
/// source's pixel size where it was read), duplicate removal against the
/// images kept so far, and the counts by reason.
final class PackLedger {
    let dedup: Dedup?
    private var hashes: HammingIndex?
    /// The input position of each kept image, by its index in the file, when
    /// duplicates are looked for (their messages name the image kept first,
    /// by `name(ofInput:)`); without dedup nothing is kept per image.
    private var keptInputs: [Int32] = []
    private(set) var keptCount = 0
    /// The first 128 bits of each kept image's SHA-256 (a collision among a
    /// billion images has odds near 10^-21), four words where a hex string took a hundred bytes.
    private var bySHA: [SHAPrefix: Int32] = [:]
    /// The name of the input at a position (the pack's items, read back when a duplicate needs it).
    private let nameOfInput: (Int) -> String
    private(set) var counts: [String: Int] = ["kept": 0]
    /// Kept images whose source's shorter side is below the target's (they were enlarged).
    private(set) var upscaled = 0
    private let targetShorterSide: Int
    private let manifest: AppendFile?
    private var lines: [String] = []

    /// - Parameter manifestPath: where the lines go (a temporary file), or nil for none.
    init(manifestPath: String?, dedup: Dedup?, targetShorterSide: Int, nameOfInput: @escaping (Int) -> String) throws(StorageError) {
        self.dedup = dedup
        self.nameOfInput = nameOfInput
        self.targetShorterSide = targetShorterSide
        if case let .near(bits)? = dedup { hashes = HammingIndex(radius: bits) }
        if let manifestPath {
            unlink(manifestPath)
            manifest = try AppendFile(path: manifestPath)
        } else {
            manifest = nil
        }
    }


    /// Whether a ledger for `dedup` wants each image's perceptual hash.
    static func needsHashes(for dedup: Dedup?) -> Bool {
        if case .near? = dedup { return true }
        return false
    }

    /// Records an image left out.
    func drop(input: Int?, name: String, path: String?, source: (width: Int, height: Int)?, reason: DropReason, detail: String,
              of kept: Int? = nil, distance: Int? = nil) {
        counts[reason.rawValue, default: 0] += 1
        var fields: [(String, JSONValue)] = []
        if let input { fields.append(("input", .number(Double(input)))) }
        fields.append(("name", .string(name)))
        if let path { fields.append(("path", .string(path))) }
        if let source { fields += [("width", .number(Double(source.width))), ("height", .number(Double(source.height)))] }
        fields.append(("dropped", .string(reason.rawValue)))
        if let kept {
            fields += [("of", .number(Double(kept))), ("of_name", .string(keptName(kept)))]
            if let distance { fields.append(("distance", .number(Double(distance)))) }
        }
        fields.append(("detail", .string(detail)))
        lines.append(JSONValue.object(fields).serialized)
    }

    /// Decides a decoded image: kept (nil; the next index in the file) or a
    /// duplicate of an image kept before (recorded; returned as skipped, with its message).
    func admit(input: Int, name: String, path: String, source: (width: Int, height: Int), sha256: String, hash: UInt64?) -> SkippedImage? {
        if dedup != nil, let first = bySHA[SHAPrefix(sha256)].map(Int.init) {
            drop(input: input, name: name, path: path, source: source, reason: .duplicate, detail: "the same bytes (SHA-256) as image \(first)", of: first, distance: 0)
            return SkippedImage(name: name, reason: .duplicate, kind: DropReason.duplicate.rawValue,
                                message: "duplicate: the same bytes as image \(first) (\(keptName(first)))")
        }
        if let hash, let near = hashes?.nearest(hash) {
            drop(input: input, name: name, path: path, source: source, reason: .nearDuplicate,
                 detail: "perceptual hash \(Self.hex(hash)) within \(near.distance) bits of image \(near.id)'s", of: near.id, distance: near.distance)
            return SkippedImage(name: name, reason: .nearDuplicate, kind: DropReason.nearDuplicate.rawValue,
                                message: "near-duplicate: within \(near.distance) bits of image \(near.id) (\(keptName(near.id)))")
        }
        let index = keptCount
        keptCount += 1
        if dedup != nil {
            keptInputs.append(Int32(input))
            bySHA[SHAPrefix(sha256)] = Int32(index)
        }
        if let hash { hashes?.insert(hash) }
        counts["kept", default: 0] += 1
        if min(source.width, source.height) < targetShorterSide { upscaled += 1 }
        lines.append(JSONValue.object([("input", .number(Double(input))), ("name", .string(name)), ("path", .string(path)),
                                       ("width", .number(Double(source.width))),
                                       ("height", .number(Double(source.height))), ("index", .number(Double(index)))]
                                      + (hash.map { [("dhash", .string(Self.hex($0)))] } ?? [])).serialized)
        return nil
    }

    /// The name of the image kept at `index` in the file.
    private func keptName(_ index: Int) -> String { nameOfInput(Int(keptInputs[index])) }

    /// A hash as 16 hexadecimal digits (bit 0 is the top row's first comparison).
    static func hex(_ hash: UInt64) -> String {
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Writes the lines decided since the last flush.
    func flush() throws(StorageError) {
        guard let manifest, !lines.isEmpty else { lines.removeAll(); return }
        try manifest.append(Array((lines.joined(separator: "\n") + "\n").utf8))
        lines.removeAll(keepingCapacity: true)
    }

    /// The counts as one JSON object ("kept" and each reason), for the file's `counts_by_reason`.
    var countsJSON: String {
        JSONValue.object(counts.sorted { $0.key < $1.key }.map { ($0.key, .number(Double($0.value))) }).serialized
    }
}

/// The first 128 bits of a hex SHA-256 (its first 32 digits).
struct SHAPrefix: Hashable {
    var high: UInt64
    var low: UInt64
    init(_ hex: String) {
        var words: (UInt64, UInt64) = (0, 0)
        for (i, byte) in hex.utf8.prefix(32).enumerated() {
            let digit = UInt64(byte <= 0x39 ? byte &- 0x30 : (byte | 0x20) &- 0x61 &+ 10) & 0xF
            if i < 16 { words.0 = words.0 << 4 | digit } else { words.1 = words.1 << 4 | digit }
        }
        (high, low) = words
    }
}
