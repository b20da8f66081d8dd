#if canImport(Glibc)
import Glibc
#endif

/// Where each record's line is in a manifest file, found in one pass and
/// read back one line at a time: the manifest of a million records is never
/// all in memory, only eight bytes a record (the line's offset).
///
/// As with `FetchManifest.read`, the last line of a record wins, and a line
/// that is not whole (torn by a crash) is skipped and counted. Immutable once
/// read: lines are read back with `pread`, from any thread.
public final class ManifestIndex: @unchecked Sendable {
    /// The manifest file.
    public let path: String
    /// Lines read (whole or not), and lines skipped because they were not whole.
    public private(set) var lines = 0
    public private(set) var skippedLines = 0
    /// The offset of each record's line.
    private var offsets: LineOffsets
    private var fd: Int32 = -1

    /// Indexes `path` (an index of nothing when there is no such file) for
    /// records 0 ..< `records`; lines of other indices are counted and left out.
    public init(path: String, records: Int) throws(RecordsError) {
        self.path = path
        offsets = LineOffsets(wide: false)
        growable = false
        try open(records: records)
    }

    /// Indexes `path` for whatever records it holds (up to index 2^27: a
    /// records file of 1 GiB holds fewer; lines beyond are counted and left out).
    public init(path: String) throws(RecordsError) {
        self.path = path
        offsets = LineOffsets(wide: false)
        growable = true
        try open(records: 0)
    }

    /// One more than the highest record index the index covers.
    public var capacity: Int { offsets.count }

    private let growable: Bool
    private static let largestIndex = 1 << 27

    /// Opens the file, sizes the offsets for it (four bytes each below 4 GiB), and scans it.
    private func open(records: Int) throws(RecordsError) {
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        var info = stat()
        if fd >= 0 && fstat(fd, &info) != 0 { close(fd); fd = -1 }
        offsets = LineOffsets(wide: fd >= 0 && Int(info.st_size) >= Int(UInt32.max))
        offsets.grow(to: records)
        if fd < 0 {
            if errno == ENOENT { return }
            throw .unreadable(file: path, problem: .system(errno: errno))
        }
        try scan()
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Whether record `index` has a line.
    public func contains(_ index: Int) -> Bool { index >= 0 && index < offsets.count && offsets[index] != nil }

    /// How many records have a line.
    public var count: Int { (0..<offsets.count).count { offsets[$0] != nil } }

    /// Record `index`'s line as written (without its newline), nil when it has none.
    public func line(_ index: Int) -> [UInt8]? {
        guard index >= 0 && index < offsets.count, let offset = offsets[index] else { return nil }
        var bytes: [UInt8] = []
        var size = 1024
        while true {
            var piece = [UInt8](repeating: 0, count: size)
            let n = piece.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset + bytes.count)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return bytes.isEmpty ? nil : bytes }
            if let end = piece[0..<n].firstIndex(of: 0x0A) { return bytes + piece[0..<end] }
            bytes.append(contentsOf: piece[0..<n])
            size = min(size * 2, 1 << 24)
        }
    }

    /// Record `index`'s entry, nil when it has no line or the line does not parse as its entry.
    public func entry(_ index: Int) -> ManifestEntry? {
        line(index).flatMap { Self.entry(in: $0, index: index) }
    }

    /// The entry a line holds when it is record `index`'s.
    public static func entry(in line: [UInt8], index: Int) -> ManifestEntry? {
        guard let json = try? JSONParser.parse(line), let entry = ManifestEntry(json: json), entry.index == index else { return nil }
        return entry
    }

    /// Reads the file once, noting where each record's last whole line starts.
    private func scan() throws(RecordsError) {
        do {
            try LineReader.forEachLine(fd: fd, path: path) { line, offset, terminated in note(line, at: offset, whole: terminated) }
        } catch let error as RecordsError {
            throw error
        } catch {
            preconditionFailure("the manifest scan threw \(error)")
        }
    }

    private func note(_ line: ArraySlice<UInt8>, at offset: Int, whole: Bool) {
        lines += 1
        guard let index = whole ? Self.quickIndex(line) : Self.parsedIndex(line) else {
            skippedLines += 1
            return
        }
        if growable && index >= offsets.count && index < Self.largestIndex { offsets.grow(to: index + 1) }
        if index >= 0 && index < offsets.count { offsets[index] = offset }
    }

    /// The index of a line as `ManifestEntry.writeJSON` writes it
    /// (`{"index":N,` ... `}`) without parsing the rest; anything else is parsed.
    static func quickIndex(_ line: ArraySlice<UInt8>) -> Int? {
        let prefix = Array("{\"index\":".utf8)
        guard line.last == UInt8(ascii: "}"), line.starts(with: prefix) else { return parsedIndex(line) }
        var value = 0
        var i = line.startIndex + prefix.count
        while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x39, value < Int.max / 20 {
            value = value * 10 + Int(line[i] - 0x30)
            i += 1
        }
        guard i > line.startIndex + prefix.count, i < line.endIndex, line[i] == UInt8(ascii: ",") else { return parsedIndex(line) }
        return value
    }

    static func parsedIndex(_ line: ArraySlice<UInt8>) -> Int? {
        guard let json = try? JSONParser.parse(Array(line)), let entry = ManifestEntry(json: json) else { return nil }
        return entry.index
    }
}

/// Line offsets by record, four bytes each when the file is under 4 GiB
/// (eight above); the largest value marks a record without a line.
struct LineOffsets {
    private var narrow: [UInt32] = []
    private var wide: [UInt64] = []
    private let isWide: Bool

    init(wide: Bool) { isWide = wide }

    var count: Int { isWide ? wide.count : narrow.count }

    mutating func grow(to count: Int) {
        guard count > self.count else { return }
        if isWide { wide.append(contentsOf: repeatElement(.max, count: count - wide.count)) } else {
            narrow.append(contentsOf: repeatElement(.max, count: count - narrow.count))
        }
    }

    subscript(index: Int) -> Int? {
        get {
            if isWide { return wide[index] == .max ? nil : Int(wide[index]) }
            return narrow[index] == .max ? nil : Int(narrow[index])
        }
        set {
            if isWide { wide[index] = newValue.map(UInt64.init) ?? .max } else { narrow[index] = newValue.map(UInt32.init) ?? .max }
        }
    }
}
