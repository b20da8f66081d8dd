import Foundation
import Storage
import Records

/// One image file to pack, with what goes into the file beside its pixels.
public struct PackItem: Sendable {
    /// The file on disk (the tar archive that holds it, for a tar member).
    public var path: String
    /// The image's description (from the records, or its file's name).
    public var description: String
    /// The source URL (the record's) or the file's path for folder input.
    public var url: String
    /// Known digest (from the fetch manifest), else computed while packing.
    public var sha256: String?
    /// How messages name this item ("record 12 (images/ab12.jpg)").
    public var name: String
    /// Its class label's text (from `LabelSource`), nil when it has none.
    public var label: String?
    /// The tar member holding the image's bytes, nil for a file of its own.
    public var member: TarMember?

    /// One image to pack.
    public init(path: String, description: String, url: String, sha256: String?, name: String, label: String?, member: TarMember? = nil) {
        self.path = path
        self.description = description
        self.url = url
        self.sha256 = sha256
        self.name = name
        self.label = label
        self.member = member
    }

    /// The path the pack manifest shows: the file's, or "archive.tar:member".
    public var displayPath: String { member.map { "\(path):\($0.name)" } ?? path }
}

/// Finds the images to pack: a fetch output directory (its manifest's ok
/// records, in record order), img2dataset's output (tar shards, or its
/// `files` layout: `Img2DatasetInput`), or a plain folder of image files
/// (sorted by path, descriptions from the file names).
public enum PackInput {
    /// Items to pack, items left out before decoding with the reason, and
    /// where the labels came from (`.folder` for a plain folder's `.description`).
    /// - Parameters:
    ///   - labels: where each item's label text comes from.
    ///   - shard: this process's share: the records (a folder's files, by
    ///     their sorted position) whose index it contains.
    public static func scan(_ path: String, labels: LabelSource = .description, shard: Shard = .whole) throws(PackError)
        -> (items: PackItems, skipped: [SkippedImage], labels: LabelSource) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .input(path: path, problem: .missing)
        }
        guard isDirectory.boolValue else { throw .input(path: path, problem: .notAFolder) }
        let manifests: [String]
        do { manifests = try FetchDirectory.manifests(in: path) } catch { throw .input(path: path, problem: .manifest(error)) }
        let result: (items: PackItems, skipped: [SkippedImage], labels: LabelSource)
        if !manifests.isEmpty {
            let read = try fromManifest(directory: path, labels: labels, shard: shard)
            result = (read.items, read.skipped, labels)
        } else if case let tars = Img2DatasetInput.tarShards(in: path, names: DirectoryListing.names(path) ?? []), !tars.isEmpty {
            let read = Img2DatasetInput.fromTars(tars, labels: labels, shard: shard)
            result = (PackItems(read.items), read.skipped, labels)
        } else {
            var relative = try files(under: path)
            relative.sort()
            if Img2DatasetInput.isFilesLayout(relative) {
                result = (PackItems(Img2DatasetInput.fromFiles(path, relative: relative, labels: labels, shard: shard)), [], labels)
            } else {
                if case let .field(name) = labels { throw .input(path: path, problem: .fieldNeedsFetchOutput(field: name)) }
                result = (PackItems(fromFolder(path, relative: relative, labels: labels, shard: shard)), [], labels == .none ? labels : .folder)
            }
        }
        if result.items.isEmpty { throw .input(path: path, problem: .noImages(shard: shard)) }
        return result
    }

    /// The `ok` records of a fetch directory, in record order, and its
    /// duplicates as skipped. A directory of one manifest is read through a
    /// `ManifestIndex` (items read back one line at a time); the parts of a
    /// sharded fetch are joined in memory (duplicates across parts are marked
    /// on all their entries at once).
    static func fromManifest(directory: String, labels: LabelSource, shard: Shard) throws(PackError) -> (items: PackItems, skipped: [SkippedImage]) {
        let manifests: [String]
        do { manifests = try FetchDirectory.manifests(in: directory) } catch { throw .input(path: directory, problem: .manifest(error)) }
        var skipped: [SkippedImage] = []
        if manifests.count == 1 {
            let index: ManifestIndex
            do { index = try ManifestIndex(path: manifests[0]) } catch { throw .input(path: directory, problem: .manifest(error)) }
            var records = RecordList()
            for record in 0..<index.capacity where shard.contains(record) {
                guard let entry = index.entry(record) else { continue }
                if classify(entry, directory: directory, labels: labels, skipped: &skipped) != nil { records.append(record) }
            }
            return (PackItems(manifest: index, records: records, directory: directory, labels: labels), skipped)
        }
        let read: (entries: [Int: ManifestEntry], manifests: Int)
        do { read = try FetchDirectory.entries(in: directory) } catch { throw .input(path: directory, problem: .manifest(error)) }
        var items: [PackItem] = []
        for entry in read.entries.values.sorted(by: { $0.index < $1.index }) where shard.contains(entry.index) {
            if let item = classify(entry, directory: directory, labels: labels, skipped: &skipped) { items.append(item) }
        }
        return (PackItems(items), skipped)
    }

    /// An entry's item when it is `ok` with a file in images/; a duplicate
    /// or an unsafe path goes to `skipped`; failed downloads are left out
    /// (fetch's summary counts them).
    private static func classify(_ entry: ManifestEntry, directory: String, labels: LabelSource, skipped: inout [SkippedImage]) -> PackItem? {
        switch entry.status {
        case .ok:
            guard let item = item(for: entry, in: directory, labels: labels) else {
                skipped.append(SkippedImage(name: "record \(entry.index)", reason: .input, kind: "unsafe file path in manifest",
                                            message: "unsafe file path in manifest: \(entry.file ?? "none")"))
                return nil
            }
            return item
        case .duplicate:
            skipped.append(SkippedImage(name: "record \(entry.index)", reason: .duplicate, kind: "duplicate",
                                        message: "duplicate: \(entry.error ?? "same bytes as an earlier record")"))
            return nil
        default:
            return nil
        }
    }

    /// The item of an `ok` entry, nil when its file is not a plain name in
    /// images/ (a manifest naming anything else is not trusted).
    static func item(for entry: ManifestEntry, in directory: String, labels: LabelSource) -> PackItem? {
        guard let file = entry.file, file.hasPrefix("images/"), !file.split(separator: "/").contains("..") else { return nil }
        return PackItem(path: directory + "/" + file, description: entry.description, url: entry.url,
                        sha256: entry.sha256, name: "record \(entry.index) (\(file))", label: label(of: entry, from: labels))
    }

    /// A record's label text: its description, or a field's value (strings
    /// as they are, numbers and booleans as written in JSON).
    static func label(of entry: ManifestEntry, from source: LabelSource) -> String? {
        switch source {
        case .description: return entry.description
        case .none, .folder: return nil
        case let .field(name): return labelText(entry.extra[name])
        }
    }

    /// A record field's value as a label: strings as they are, numbers and
    /// booleans as written in JSON, nil for anything else or nothing.
    static func labelText(_ value: JSONValue?) -> String? {
        switch value {
        case let .string(text)?: return text
        case let value? where value.intValue != nil || value.boolValue != nil: return value.serialized
        default: return nil
        }
    }

    /// A plain folder's files (`relative`, sorted), labelled by their sub-folder.
    static func fromFolder(_ path: String, relative: [String], labels: LabelSource, shard: Shard) -> [PackItem] {
        relative.enumerated().filter { shard.contains($0.offset) }.map { _, file in
            // A plain folder's classes are its sub-folders; images at the top have none.
            let folder = file.split(separator: "/").dropLast().first.map(String.init)
            return PackItem(path: path + "/" + file, description: stem(of: file), url: file, sha256: nil, name: file,
                            label: labels == .none ? nil : folder)
        }
    }

    /// A file's name without its folders and its extension: NSString's
    /// `lastPathComponent` then `deletingPathExtension` for the names a folder
    /// walk keeps (none starts with a dot), without bridging each one
    /// through NSString (2-3 ms for 429 files).
    static func stem(of file: String) -> String {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        let name = file.utf8.lastIndex(of: slash).map { file[file.utf8.index(after: $0)...] } ?? file[...]
        guard let last = name.utf8.lastIndex(of: dot), last != name.startIndex else { return String(name) }
        return String(name[..<last])
    }

    /// The files under `root`, as paths relative to it, at any depth: names
    /// starting with "." are left out, a symbolic link counts as what it
    /// points to (a link to a folder is not entered), and what is not a
    /// folder is kept (pack then says why it cannot decode it).
    static func files(under root: String) throws(PackError) -> [String] {
        var found: [String] = []
        var folders = [""]
        while let folder = folders.popLast() {
            guard let listing = DirectoryListing(folder.isEmpty ? root : root + "/" + folder) else {
                if folder.isEmpty { throw .input(path: root, problem: .unlistable(errno: errno)) }
                continue  // A sub-folder that cannot be read holds nothing to pack.
            }
            for entry in listing.entries {
                let relative = folder.isEmpty ? entry.name : folder + "/" + entry.name
                switch entry.kind {
                case .folder: folders.append(relative)
                case .file where !entry.name.hasPrefix("."): found.append(relative)
                default: continue
                }
            }
        }
        return found
    }
}
