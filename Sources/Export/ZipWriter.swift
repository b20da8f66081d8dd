import CDeflate
import Storage

/// A zip archive of stored (uncompressed: PNGs are compressed already)
/// entries, as Python's `zipfile` reads them: local headers, a central
/// directory, and the zip64 end records when there are more than 65,535
/// entries or an offset past 4 GiB (`zip64Threshold` lowers those limits
/// for tests). Times are fixed (1980-01-01) so the same export gives the same bytes.
final class ZipWriter: ExportSink {
    private let file: OutputFile
    private var central: [UInt8] = []
    private var entries = 0
    private let zip64Threshold: Int

    init(path: String, zip64Threshold: Int = 0xFFFF) throws(StorageError) {
        file = try OutputFile(path: path)
        self.zip64Threshold = zip64Threshold
    }

    func add(_ name: String, _ bytes: [UInt8]) throws(StorageError) {
        let crc = bytes.withUnsafeBytes { Int(libdeflate_crc32(0, $0.baseAddress, $0.count)) }
        let nameBytes = Array(name.utf8)
        let offset = file.offset
        let large = offset >= 0xFFFF_FFFF
        var local: [UInt8] = []
        local.le32(0x0403_4B50)
        local.le16(20); local.le16(0x0800); local.le16(0)        // version, UTF-8 names, stored
        local.le16(0); local.le16(0x21)                           // 00:00, 1980-01-01
        local.le32(crc); local.le32(bytes.count); local.le32(bytes.count)
        local.le16(nameBytes.count); local.le16(0)
        try file.write(local)
        try file.write(nameBytes)
        try file.write(bytes)
        var extra: [UInt8] = []
        if large { extra.le16(0x0001); extra.le16(8); extra.le64(offset) }
        central.le32(0x0201_4B50)
        central.le16(large ? 45 : 20); central.le16(large ? 45 : 20); central.le16(0x0800); central.le16(0)
        central.le16(0); central.le16(0x21)
        central.le32(crc); central.le32(bytes.count); central.le32(bytes.count)
        central.le16(nameBytes.count); central.le16(extra.count); central.le16(0)
        central.le16(0); central.le16(0); central.le32(0o100644 << 16)
        central.le32(large ? 0xFFFF_FFFF : offset)
        central += nameBytes
        central += extra
        entries += 1
    }

    func finish() throws(StorageError) {
        let start = file.offset
        try file.write(central)
        let size = central.count
        var end: [UInt8] = []
        let zip64 = entries > zip64Threshold || start >= 0xFFFF_FFFF || size >= 0xFFFF_FFFF
        if zip64 {
            let record = file.offset
            end.le32(0x0606_4B50); end.le64(44)
            end.le16(45); end.le16(45); end.le32(0); end.le32(0)
            end.le64(entries); end.le64(entries); end.le64(size); end.le64(start)
            end.le32(0x0706_4B50); end.le32(0); end.le64(record); end.le32(1)
        }
        end.le32(0x0605_4B50)
        end.le16(0); end.le16(0)
        end.le16(zip64 ? 0xFFFF : entries); end.le16(zip64 ? 0xFFFF : entries)
        end.le32(zip64 ? 0xFFFF_FFFF : size); end.le32(zip64 ? 0xFFFF_FFFF : start)
        end.le16(0)
        try file.write(end)
        try file.close()
    }
}
