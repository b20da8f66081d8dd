#if canImport(Glibc)
import Glibc
#endif

/// A folder's entries read with POSIX `opendir`/`readdir` ("." and ".."
/// left out), each with what it is: the type `readdir` reports, looked up
/// with `fstatat` relative to the open folder where the file system does
/// not report one, and for a symbolic link what it points to. Foundation's
/// `contentsOfDirectory` and enumerator took milliseconds for a few hundred
/// files, before `pack` could start decoding the first one.
public struct DirectoryListing: Sendable {
    /// What an entry is.
    public enum Kind: Sendable, Equatable {
        case folder
        /// Anything else that exists: a file, or a device, socket or pipe.
        case file
        /// A symbolic link to a folder (not entered by folder walks).
        case linkToFolder
        /// A symbolic link that points nowhere, or an entry that vanished.
        case missing
    }

    /// One entry of a folder.
    public struct Entry: Sendable {
        /// Its name in the folder.
        public var name: String
        /// What it is.
        public var kind: Kind
    }

    /// The entries, in readdir's order.
    public let entries: [Entry]

    /// Lists `path`; nil when it cannot be opened (errno says why).
    public init?(_ path: String) {
        var entries: [Entry] = []
        guard Self.read(path, { name, folder, type in entries.append(Entry(name: name, kind: Self.kind(of: name, in: folder, type: type))) }) else {
            return nil
        }
        self.entries = entries
    }

    /// The names in `path`, without looking up what they are; nil when it cannot be opened (errno says why).
    public static func names(_ path: String) -> [String]? {
        var names: [String] = []
        guard read(path, { name, _, _ in names.append(name) }) else { return nil }
        return names
    }

    /// Calls `body` with each entry's name, the open folder's descriptor and the type `readdir` reports.
    private static func read(_ path: String, _ body: (String, Int32, UInt8) -> Void) -> Bool {
        guard let directory = opendir(path) else { return false }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." { continue }
            body(name, dirfd(directory), entry.pointee.d_type)
        }
        return true
    }

    private static func kind(of name: String, in directory: Int32, type: UInt8) -> Kind {
        var type = type
        var info = stat()
        if type == UInt8(DT_UNKNOWN) {
            guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .missing }
            type = mode(info.st_mode, is: S_IFDIR) ? UInt8(DT_DIR) : mode(info.st_mode, is: S_IFLNK) ? UInt8(DT_LNK) : UInt8(DT_REG)
        }
        switch type {
        case UInt8(DT_DIR): return .folder
        case UInt8(DT_LNK):
            guard fstatat(directory, name, &info, 0) == 0 else { return .missing }
            return mode(info.st_mode, is: S_IFDIR) ? .linkToFolder : .file
        default: return .file
        }
    }

    private static func mode(_ mode: mode_t, is kind: mode_t) -> Bool { (mode & S_IFMT) == kind }
}
