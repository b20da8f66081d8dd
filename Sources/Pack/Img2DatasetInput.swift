import Foundation
import Records

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
        let slash = name.lastIndex(of: "/").map { name.index(after: $0) } ?? name.startIndex
        guard let dot = name[slash...].firstIndex(of: "."), dot > slash else { return nil }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]).lowercased())
    }

    /// Whether a member's name could escape a folder if it were used as a path.
    static func isUnsafe(_ name: String) -> Bool {
        name.hasPrefix("/") || name.split(separator: "/", omittingEmptySubsequences: false).contains("..")
    }

    /// The items of the tar shards, in shard then key order; samples are
    /// numbered across shards, and only those `shard` contains are read.
    static func fromTars(_ tars: [String], labels: LabelSource, shard: Shard) -> (items: [PackItem], skipped: [SkippedImage]) {
        var items: [PackItem] = []
        var skipped: [SkippedImage] = []
        var index = 0
        for tar in tars {
            let archive = TarArchive(path: tar)
            let shardName = (tar as NSString).lastPathComponent
            func skip(_ what: String, _ kind: String, _ message: String) {
                skipped.append(SkippedImage(name: what.isEmpty ? shardName : "\(shardName):\(what)", reason: .input, kind: kind, message: "\(kind): \(message)"))
            }
            var order: [String] = []
            var samples: [String: [String: TarMember]] = [:]
            for member in archive.members {
                switch member.kind {
                case .directory: continue
                case .link: skip(member.name, "link member", "a link is never followed"); continue
                case let .other(type): skip(member.name, "not a regular file", "tar type '\(Character(Unicode.Scalar(type)))'"); continue
                case .file: break
                }
                if isUnsafe(member.name) { skip(member.name, "unsafe member name", "an absolute name or one with .. is not read"); continue }
                guard let (key, ext) = split(member.name) else { continue }
                if samples[key] == nil { order.append(key) }
                samples[key, default: [:]][ext] = member
            }
            if let damage = archive.damage { skip("", "damaged tar", damage.description) }
            // img2dataset's keys number the records; its threads write samples as they finish.
            for key in order.sorted() {
                let members = samples[key]!
                guard let image = members.first(where: { imageExtensions.contains($0.key) })?.value else {
                    skip(key, "no image in sample", "none of \(members.keys.sorted().joined(separator: ", ")) is an image")
                    continue
                }
                defer { index += 1 }
                guard shard.contains(index) else { continue }
                guard image.size > 0 else { skip(image.name, "empty member", "the image member holds 0 bytes"); continue }
                let caption = members["txt"].flatMap { TarArchive.read($0, from: tar, limit: maxSidecarBytes) }
                let json = members["json"].flatMap { TarArchive.read($0, from: tar, limit: maxSidecarBytes) }
                items.append(item(path: tar, member: image, name: "\(shardName):\(image.name)", caption: caption, json: json, labels: labels))
            }
        }
        return (items, skipped)
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
