import Records

/// The images a pack reads, by position: items in memory (a folder, tar
/// shards), or the `ok` records of a fetch manifest, read back one line at a
/// time: a million records cost a line offset and an index each, not the
/// entries themselves.
public final class PackItems: RandomAccessCollection, @unchecked Sendable {
    private enum Storage {
        case items([PackItem])
        /// The records' lines in the manifest, the fetch directory, and where labels come from.
        case manifest(ManifestIndex, records: RecordList, directory: String, labels: LabelSource)
    }
    // Immutable after init: read from the pack's worker threads.
    private let storage: Storage

    /// How many images there are.
    public var count: Int {
        switch storage {
        case let .items(items): return items.count
        case let .manifest(_, records, _, _): return records.count
        }
    }

    /// Positions 0 ..< count.
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// Items in memory.
    public init(_ items: [PackItem]) { storage = .items(items) }

    /// Records `records` (each with a safe `ok` line in `index`) of the fetch directory `directory`.
    init(manifest index: ManifestIndex, records: RecordList, directory: String, labels: LabelSource) {
        storage = .manifest(index, records: records, directory: directory, labels: labels)
    }

    /// Item `position`. A manifest line that no longer reads back (the file
    /// changed under the pack) gives an item with no file, which the decoder reports.
    public subscript(position: Int) -> PackItem {
        switch storage {
        case let .items(items):
            return items[position]
        case let .manifest(index, records, directory, labels):
            let record = records[position]
            guard let entry = index.entry(record), let item = PackInput.item(for: entry, in: directory, labels: labels) else {
                return PackItem(path: directory + "/images/(record \(record): manifest line unreadable)", description: "", url: "",
                                sha256: nil, name: "record \(record)", label: nil)
            }
            return item
        }
    }

    /// The paths of the items whose file is named `name`.
    func paths(named name: String) -> [String] {
        switch storage {
        case let .items(items):
            return items.map(\.path).filter { $0.split(separator: "/").last.map(String.init) == name }
        case .manifest:
            // A fetch directory's files are named by their SHA-256: only such a name can be one of them.
            guard name.split(separator: ".").first?.count == 64 else { return [] }
            return (0..<count).map { self[$0].path }.filter { $0.split(separator: "/").last.map(String.init) == name }
        }
    }
}

/// Ascending record indices, kept as the range 0 ..< count (no memory per
/// record) for as long as they are exactly that, as a whole fetch's records are.
struct RecordList {
    private var listed: [Int32]?
    private(set) var count = 0

    mutating func append(_ record: Int) {
        if listed == nil && record == count {
            count += 1
            return
        }
        if listed == nil { listed = (0..<count).map(Int32.init) }
        listed!.append(Int32(record))
        count += 1
    }

    subscript(position: Int) -> Int { listed.map { Int($0[position]) } ?? position }
}
