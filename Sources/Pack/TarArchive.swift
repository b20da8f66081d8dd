import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One member of a tar archive, as data: its name is only ever a key to
/// group a sample's members (never a path anything is written to or read
/// from), and its bytes are a range of the archive.
public struct TarMember: Sendable, Equatable {
    /// What the header says the member is.
    public enum Kind: Sendable, Equatable {
        /// A regular file ('0' or NUL).
        case file
        /// A directory ('5').
        case directory
        /// A hard or symbolic link ('1', '2'): never followed.
        case link
        /// Anything else (devices, FIFOs, ...), by its type flag.
        case other(UInt8)
    }

    /// The member's name as stored (ustar prefix, GNU long name or pax path applied).
    public var name: String
    /// Its kind.
    public var kind: Kind
    /// Where its data starts in the archive.
    public var offset: Int
    /// Its data's length in bytes.
    public var size: Int
}

/// Why reading an archive stopped before its end (the members before are kept).
public enum TarDamage: Sendable, Equatable, CustomStringConvertible {
    /// The archive ends inside a 512-byte header.
    case truncatedHeader(offset: Int)
    /// A header whose checksum does not match: not a tar header.
    case badChecksum(offset: Int)
    /// A size field that is not a number.
    case badSize(offset: Int)
    /// A member whose declared size runs past the end of the archive.
    case truncatedMember(name: String, declared: Int, available: Int)
    /// A GNU long name or pax header larger than ganprep reads (1 MiB).
    case oversizedHeader(offset: Int, size: Int)
    /// The archive could not be read (`errno`).
    case unreadable(errno: Int32)

    /// The damage in words.
    public var description: String {
        switch self {
        case let .truncatedHeader(offset): return "the archive ends inside the header at byte \(offset)"
        case let .badChecksum(offset): return "the header at byte \(offset) is not a tar header (its checksum does not match)"
        case let .badSize(offset): return "the header at byte \(offset) has a size field that is not a number"
        case let .truncatedMember(name, declared, available):
            return "member \(name) declares \(declared) bytes, the archive holds \(available) more"
        case let .oversizedHeader(offset, size): return "the extended header at byte \(offset) declares \(size) bytes, more than 1 MiB"
        case let .unreadable(code): return String(cString: strerror(code))
        }
    }
}

/// Reads a tar archive's headers (ustar, GNU long names, pax paths and
/// sizes) with `pread`, never its data: a member's bytes are read when its
/// image is decoded. Bounded: a header is 512 bytes, an extended header at
/// most 1 MiB, and a declared size is checked against the file's.
public struct TarArchive {
    /// The archive's path.
    public let path: String
    /// Its members in order, up to the damage if any.
    public private(set) var members: [TarMember] = []
    /// Why reading stopped early, nil when the archive ended cleanly.
    public private(set) var damage: TarDamage?

    static let block = 512
    static let maxExtendedHeader = 1 << 20

    /// Reads the headers of the archive at `path`.
    public init(path: String) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { damage = .unreadable(errno: errno); return }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { damage = .unreadable(errno: errno); return }
        scan(fd: fd, fileSize: Int(info.st_size))
    }

    /// The bytes of `member` (at most `limit`), nil when they cannot be read.
    public static func read(_ member: TarMember, from path: String, limit: Int = 1 << 30) -> [UInt8]? {
        guard member.size <= limit else { return nil }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return preadAll(fd, offset: member.offset, count: member.size)
    }

    static func preadAll(_ fd: Int32, offset: Int, count: Int) -> [UInt8]? {
        var done = 0
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { failed = true; break }
                done += n
            }
            initialized = done
        }
        return failed ? nil : bytes
    }

    private mutating func scan(fd: Int32, fileSize: Int) {
        var offset = 0
        var longName: String?
        var paxPath: String?
        var paxSize: Int?
        while offset + Self.block <= fileSize {
            guard let header = Self.preadAll(fd, offset: offset, count: Self.block) else { damage = .truncatedHeader(offset: offset); return }
            if header.allSatisfy({ $0 == 0 }) { return }  // The end-of-archive blocks.
            guard Self.checksumMatches(header) else { damage = .badChecksum(offset: offset); return }
            guard let declared = Self.number(header[124..<136]) else { damage = .badSize(offset: offset); return }
            let size = paxSize ?? declared
            let type = header[156]
            let dataOffset = offset + Self.block
            guard size >= 0, size <= fileSize - dataOffset else {
                let name = paxPath ?? longName ?? Self.headerName(header)
                damage = .truncatedMember(name: name, declared: size, available: max(0, fileSize - dataOffset))
                return
            }
            switch type {
            case UInt8(ascii: "L"), UInt8(ascii: "x"), UInt8(ascii: "g"):
                guard size <= Self.maxExtendedHeader else { damage = .oversizedHeader(offset: offset, size: size); return }
                guard let data = Self.preadAll(fd, offset: dataOffset, count: size) else { damage = .truncatedHeader(offset: dataOffset); return }
                if type == UInt8(ascii: "L") {
                    longName = Self.cString(data[...])
                } else if type == UInt8(ascii: "x") {
                    let records = Self.paxRecords(data)
                    paxPath = records["path"]
                    paxSize = records["size"].flatMap { Int($0) }
                }
            default:
                members.append(TarMember(name: paxPath ?? longName ?? Self.headerName(header), kind: Self.kind(type),
                                         offset: dataOffset, size: size))
                longName = nil
                paxPath = nil
                paxSize = nil
            }
            let padded = (size + Self.block - 1) / Self.block * Self.block
            offset = dataOffset + padded
        }
        if offset < fileSize { damage = .truncatedHeader(offset: offset) }
    }

    static func kind(_ type: UInt8) -> TarMember.Kind {
        switch type {
        case 0, UInt8(ascii: "0"), UInt8(ascii: "7"): return .file
        case UInt8(ascii: "5"): return .directory
        case UInt8(ascii: "1"), UInt8(ascii: "2"): return .link
        default: return .other(type)
        }
    }

    /// The ustar name: prefix + "/" + name when the magic says ustar.
    static func headerName(_ header: [UInt8]) -> String {
        let name = cString(header[0..<100])
        guard header[257..<262].elementsEqual("ustar".utf8) else { return name }
        let prefix = cString(header[345..<500])
        return prefix.isEmpty ? name : prefix + "/" + name
    }

    static func cString(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// An octal field (NUL- or space-terminated), or GNU's base-256 for large values.
    static func number(_ field: ArraySlice<UInt8>) -> Int? {
        guard let first = field.first else { return nil }
        if first & 0x80 != 0 {
            var value = 0
            for (i, byte) in field.enumerated() {
                let b = i == 0 ? byte & 0x7F : byte
                guard value <= (Int.max >> 8) else { return nil }
                value = value << 8 | Int(b)
            }
            return value
        }
        let digits = field.drop { $0 == 0x20 }.prefix { $0 != 0 && $0 != 0x20 }
        guard !digits.isEmpty else { return 0 }
        var value = 0
        for d in digits {
            guard (0x30...0x37).contains(d), value <= (Int.max >> 3) else { return nil }
            value = value << 3 | Int(d - 0x30)
        }
        return value
    }

    static func checksumMatches(_ header: [UInt8]) -> Bool {
        guard let stored = number(header[148..<156]) else { return false }
        // The sum of the header's bytes with the checksum field counted as spaces.
        let sum = header.withUnsafeBufferPointer { bytes in
            var total = 0
            for byte in bytes { total &+= Int(byte) }
            for i in 148..<156 { total &-= Int(bytes[i]) }
            return total + 8 * 0x20
        }
        return sum == stored
    }

    /// pax records: "LEN key=value\n" each.
    static func paxRecords(_ data: [UInt8]) -> [String: String] {
        var records: [String: String] = [:]
        var i = 0
        while i < data.count {
            guard let space = data[i...].firstIndex(of: 0x20), let length = Int(String(decoding: data[i..<space], as: UTF8.self)),
                  length > 0, i + length <= data.count else { break }
            let body = data[(space + 1)..<(i + length)].dropLast()  // the trailing newline
            if let eq = body.firstIndex(of: UInt8(ascii: "=")) {
                records[String(decoding: body[..<eq], as: UTF8.self)] = String(decoding: body[(eq + 1)...], as: UTF8.self)
            }
            i += length
        }
        return records
    }
}
