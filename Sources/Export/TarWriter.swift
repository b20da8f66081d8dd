import Storage

/// Tar shards of `samplesPerShard` samples each, `00000.tar`, `00001.tar`,
/// ... in `directory`: ustar headers (names made by the exporter, under 100
/// bytes), mode 0644, time 0, padded to 512 bytes, two zero blocks at the end.
final class TarWriter: ExportSink {
    private let directory: String
    private let samplesPerShard: Int
    private var shard: OutputFile?
    private var shards = 0
    private var samplesInShard = 0

    init(directory: String, samplesPerShard: Int) {
        self.directory = directory
        self.samplesPerShard = samplesPerShard
    }

    func add(_ name: String, _ bytes: [UInt8]) throws(StorageError) {
        if shard == nil {
            shard = try OutputFile(path: directory + "/" + String(format5: shards) + ".tar")
            shards += 1
        }
        try shard!.write(Self.header(name: name, size: bytes.count))
        try shard!.write(bytes)
        let pad = (512 - bytes.count % 512) % 512
        if pad > 0 { try shard!.write(repeatElement(UInt8(0), count: pad)) }
    }

    func endSample() throws(StorageError) {
        samplesInShard += 1
        if samplesInShard == samplesPerShard { try closeShard() }
    }

    func finish() throws(StorageError) { try closeShard() }

    private func closeShard() throws(StorageError) {
        guard let open = shard else { return }
        try open.write(repeatElement(UInt8(0), count: 1024))
        try open.close()
        shard = nil
        samplesInShard = 0
    }

    static func header(name: String, size: Int) -> [UInt8] {
        var h = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, b) in text.utf8.enumerated() { h[offset + i] = b } }
        put(name, at: 0)
        put("0000644", at: 100); put("0000000", at: 108); put("0000000", at: 116)
        put(String(size, radix: 8).leftPadded(to: 11), at: 124)
        put("00000000000", at: 136)
        h[156] = UInt8(ascii: "0")
        put("ustar", at: 257); put("00", at: 263)
        for i in 148..<156 { h[i] = 0x20 }
        let sum = h.reduce(0) { $0 + Int($1) }
        put(String(sum, radix: 8).leftPadded(to: 6), at: 148)
        h[154] = 0; h[155] = 0x20
        return h
    }
}

/// Writes files into a folder (and the sub-folders their names contain).
final class FolderWriter: ExportSink {
    private let directory: String
    private var made: Set<String> = []

    init(directory: String) { self.directory = directory }

    func add(_ name: String, _ bytes: [UInt8]) throws(StorageError) {
        if let slash = name.lastIndex(of: "/") {
            let folder = String(name[..<slash])
            if made.insert(folder).inserted { try OutputFolders.make(directory + "/" + folder) }
        }
        let file = try OutputFile(path: directory + "/" + name)
        try file.write(bytes)
        try file.close()
    }

    func finish() throws(StorageError) {}
}

extension String {
    /// Zero-padded to `width` digits (five for shard and group names).
    init(format5 value: Int) { self = String(value).leftPadded(to: 5) }

    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
