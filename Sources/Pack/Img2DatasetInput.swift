import Dispatch
import Foundation
import Records
import Support

/// img2dataset's two on-disk formats as pack input: `webdataset` (tar
/// shards `00000.tar` of `KEY.jpg|png|webp`, `KEY.txt`, `KEY.json`) and
/// `files` (`00000/KEY.jpg` beside `KEY.txt` and `KEY.json`). The caption
/// is the description; the JSON's `url` is the url and its other fields are
/// what `--labels field:NAME` reads. Tar members are data only: their names
/// group a sample's members and are never used as paths.
enum Img2DatasetInput {
    /// Extensions of image members and files (lowercased).
    static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp"]
    /// The most bytes of a caption or JSON member read.
    static let maxSidecarBytes = 1 << 20

    /// The tar shards directly in `directory`, sorted; empty when it has none.
    static func tarShards(in directory: String, names: [String]) -> [String] {
        names.filter { $0.lowercased().hasSuffix(".tar") }.sorted().map { directory + "/" + $0 }
    }

    /// A sample's key and extension by webdataset's rule: the key is the name
    /// up to the first dot of its last component.
    static func split(_ name: String) -> (key: String, ext: String)? {
        let bytes = name.utf8
        let slash = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes.index(after: $0) } ?? bytes.startIndex
        guard let dot = bytes[slash...].firstIndex(of: UInt8(ascii: ".")), dot > slash else { return nil }
        let ext = bytes[bytes.index(after: dot)...]
        let lower = ext.contains { (0x41...0x5A).contains($0) } ? String(decoding: ext, as: UTF8.self).lowercased() : String(Substring(ext))
        return (String(Substring(bytes[..<dot])), lower)
    }

    /// Whether a member's name could escape a folder if it were used as a path.
    static func isUnsafe(_ name: String) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        let bytes = Array(name.utf8)
        if bytes.first == slash { return true }
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == slash {
            if i - start == 2 && bytes[start] == dot && bytes[start + 1] == dot { return true }
            start = i + 1
        }
        return false
    }

    /// One tar shard's samples (key order, each with an image member) and what its scan skipped.
    struct ShardSamples {
        var tar: String
        var name: String
        var samples: [(key: String, image: TarMember, members: [String: TarMember])] = []
        var skipped: [SkippedImage] = []

        mutating func skip(_ what: String, _ kind: String, _ message: String) {
            skipped.append(SkippedImage(name: what.isEmpty ? name : "\(name):\(what)", reason: .input, kind: kind, message: "\(kind): \(message)"))
        }
    }

    /// The items of the tar shards, in shard then key order; samples are
    /// numbered across shards, and only those `shard` contains are read. The
    /// shards' headers, and then their captions and JSON, are read on every core.
    static func fromTars(_ tars: [String], labels: LabelSource, shard: Shard) -> (items: [PackItem], skipped: [SkippedImage]) {
        let scanned = parallelMap(tars, samples(of:))
        var index = 0
        var chosen: [[Int]] = []
        var skipped: [SkippedImage] = []
        for var shardSamples in scanned {
            var mine: [Int] = []
            for (i, sample) in shardSamples.samples.enumerated() {
                defer { index += 1 }
                guard shard.contains(index) else { continue }
                if sample.image.size > 0 { mine.append(i) } else { shardSamples.skip(sample.image.name, "empty member", "the image member holds 0 bytes") }
            }
            chosen.append(mine)
            skipped += shardSamples.skipped
        }
        let items = parallelMap(Array(scanned.indices)) { t -> [PackItem] in
            let shardSamples = scanned[t]
            let fd = open(shardSamples.tar, O_RDONLY | O_CLOEXEC)
            defer { if fd >= 0 { close(fd) } }
            return chosen[t].map { i in
                let sample = shardSamples.samples[i]
                let (caption, json) = sidecars(sample.members["txt"], sample.members["json"], fd: fd)
                return item(path: shardSamples.tar, member: sample.image, name: "\(shardSamples.name):\(sample.image.name)", caption: caption,
                            json: json, labels: labels)
            }
        }
        return (items.flatMap { $0 }, skipped)
    }

    /// A tar shard's samples by key: links, other member types and unsafe names skipped, samples without an image skipped.
    static func samples(of tar: String) -> ShardSamples {
        let archive = TarArchive(path: tar)
        var result = ShardSamples(tar: tar, name: String(tar.split(separator: "/").last ?? ""))
        var order: [String] = []
        var samples: [String: [String: TarMember]] = [:]
        for member in archive.members {
            switch member.kind {
            case .directory: continue
            case .link: result.skip(member.name, "link member", "a link is never followed"); continue
            case let .other(type): result.skip(member.name, "not a regular file", "tar type '\(Character(Unicode.Scalar(type)))'"); continue
            case .file: break
            }
            if isUnsafe(member.name) { result.skip(member.name, "unsafe member name", "an absolute name or one with .. is not read"); continue }
            guard let (key, ext) = split(member.name) else { continue }
            if samples[key] == nil { order.append(key) }
            samples[key, default: [:]][ext] = member
        }
        if let damage = archive.damage { result.skip("", "damaged tar", damage.description) }
        // img2dataset's keys number the records; its threads write samples as they finish.
        for key in order.sorted() {
            let members = samples[key]!
            guard let image = members.first(where: { imageExtensions.contains($0.key) })?.value else {
                result.skip(key, "no image in sample", "none of \(members.keys.sorted().joined(separator: ", ")) is an image")
                continue
            }
            result.samples.append((key, image, members))
        }
        return result
    }

    /// `transform` of each element, computed on every core, in order.
    static func parallelMap<T, R>(_ elements: [T], _ transform: (T) -> R) -> [R] {
        let slots = UnsafeMutableBufferPointer<R?>.allocate(capacity: elements.count)
        slots.initialize(repeating: nil)
        defer { slots.deinitialize(); slots.deallocate() }
        withoutActuallyEscaping(transform) { transform in
            let (input, output, work) = (UncheckedSendable(elements), UncheckedSendable(slots), UncheckedSendable(transform))
            DispatchQueue.concurrentPerform(iterations: elements.count) { i in output.value[i] = work.value(input.value[i]) }
        }
        return slots.map { $0! }
    }

    /// A sample's caption and JSON, in one read when they lie together (img2dataset writes them so).
    static func sidecars(_ txt: TarMember?, _ json: TarMember?, fd: Int32) -> ([UInt8]?, [UInt8]?) {
        let wanted = [txt, json].map { $0.flatMap { $0.size <= maxSidecarBytes ? $0 : nil } }
        let present = wanted.compactMap { $0 }
        guard fd >= 0, let first = present.map(\.offset).min(), let end = present.map({ $0.offset + $0.size }).max() else { return (nil, nil) }
        if end - first <= 2 * maxSidecarBytes + 1024, let span = TarArchive.preadAll(fd, offset: first, count: end - first) {
            let cut = { (m: TarMember?) in m.map { Array(span[($0.offset - first)..<($0.offset - first + $0.size)]) } }
            return (cut(wanted[0]), cut(wanted[1]))
        }
        let read = { (m: TarMember?) in m.flatMap { TarArchive.preadAll(fd, offset: $0.offset, count: $0.size) } }
        return (read(wanted[0]), read(wanted[1]))
    }

    /// The items of the `files` layout: every image file under `root` that is
    /// not a sidecar, sorted by path, with its `.txt` and `.json` siblings.
    static func fromFiles(_ root: String, relative: [String], labels: LabelSource, shard: Shard) -> [PackItem] {
        let present = Set(relative)
        let images = relative.filter { file in
            guard let (_, ext) = split(file) else { return false }
            return ext != "txt" && ext != "json" && ext != "parquet"
        }.sorted()
        return images.enumerated().filter { shard.contains($0.offset) }.map { _, file in
            let stem = file.prefix(upTo: file.lastIndex(of: ".") ?? file.endIndex)
            func sidecar(_ ext: String) -> [UInt8]? {
                let name = stem + "." + ext
                guard present.contains(String(name)) else { return nil }
                return try? BoundedSidecar.read(root + "/" + name, limit: maxSidecarBytes)
            }
            return item(path: root + "/" + file, member: nil, name: file, caption: sidecar("txt"), json: sidecar("json"), labels: labels)
        }
    }

    /// Whether `relative` (a folder walk) is img2dataset's `files` layout: some image has a `.json` sibling.
    static func isFilesLayout(_ relative: [String]) -> Bool {
        let present = Set(relative)
        return relative.contains { file in
            guard let (_, ext) = split(file), imageExtensions.contains(ext) else { return false }
            return present.contains(String(file.prefix(upTo: file.lastIndex(of: ".")!)) + ".json")
        }
    }

    static func item(path: String, member: TarMember?, name: String, caption: [UInt8]?, json: [UInt8]?, labels: LabelSource) -> PackItem {
        let description = caption.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let fields = json.flatMap { try? JSONParser.parse($0) }
        let label: String?
        switch labels {
        case .description: label = description
        case .none, .folder: label = nil
        case let .field(field): label = fields.flatMap { PackInput.labelText($0[field]) }
        }
        return PackItem(path: path, description: description, url: fields?["url"]?.stringValue ?? "", sha256: nil, name: name,
                        label: label, member: member)
    }
}

/// Reads a small file whole, refusing one over `limit` bytes.
enum BoundedSidecar {
    struct TooLarge: Error {}

    static func read(_ path: String, limit: Int) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        let data = try handle.read(upToCount: limit + 1) ?? Data()
        guard data.count <= limit else { throw TooLarge() }
        return [UInt8](data)
    }
}
