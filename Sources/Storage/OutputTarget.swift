#if canImport(Glibc)
import Glibc
#endif

/// The checks every command makes on an output file before it writes
/// anything, and the last check before a finished temporary file is
/// renamed onto it.
///
/// An output must be a path in an existing directory that names nothing
/// yet or a regular file (never a directory, a device, a FIFO or a socket:
/// a rename over a device node would replace the node itself), and it must
/// not be one of the command's inputs: the same file through any path, hard
/// link or symbolic link (compared by device and inode).
public enum OutputTarget {
    /// Checks `path` as the output named by `option` (e.g. "--out") of a
    /// command that reads `inputs`.
    ///
    /// - Throws: `StorageError.unusableOutput` naming the path and what is wrong.
    public static func check(_ path: String, option: String, inputs: [String] = []) throws(StorageError) {
        guard !path.isEmpty else { throw .unusableOutput(path: path, option: option, problem: .empty) }
        let directory = parentDirectory(of: path)
        var info = stat()
        guard stat(directory, &info) == 0 else {
            throw .unusableOutput(path: path, option: option, problem: .missingDirectory(directory))
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw .unusableOutput(path: path, option: option, problem: .parentNotDirectory(directory))
        }
        try checkReplaceable(path, option: option)
        guard let target = identity(path) else { return }
        for input in inputs where identity(input) == target {
            throw .unusableOutput(path: path, option: option, problem: .isInput(input: input == path ? nil : input))
        }
    }

    /// Refuses a `path` that exists and is not a regular file: what a
    /// writer may rename a finished file onto. Called by the checks above
    /// and again just before each rename.
    public static func checkReplaceable(_ path: String, option: String = "output") throws(StorageError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let kind: OutputProblem.Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: kind = .directory
        case S_IFLNK:
            // A link is replaced itself, not what it points to: allowed only onto a regular file.
            var target = stat()
            if stat(path, &target) == 0 && target.st_mode & S_IFMT == S_IFREG { return }
            kind = .linkToNonFile
        case S_IFCHR, S_IFBLK: kind = .device
        case S_IFIFO: kind = .fifo
        case S_IFSOCK: kind = .socket
        default: kind = .other
        }
        throw .unusableOutput(path: path, option: option, problem: .notRegular(kind))
    }

    /// The files in `directory` and its folders, `depth` levels down (links to folders not entered).
    public static func files(under directory: String, depth: Int) -> [String] {
        guard depth > 0, let listing = DirectoryListing(directory) else { return [] }
        return listing.entries.flatMap { entry -> [String] in
            let path = directory + "/" + entry.name
            switch entry.kind {
            case .file: return [path]
            case .folder: return files(under: path, depth: depth - 1)
            case .linkToFolder, .missing: return []
            }
        }
    }

    /// Removes `OUT.<pid>.partial` files that killed runs left beside
    /// `outputPath`; call it holding the output's lock (no live run writes one).
    public static func removeStalePartials(of outputPath: String) {
        let directory = parentDirectory(of: outputPath)
        let prefix = String(outputPath.split(separator: "/").last ?? "") + "."
        for name in DirectoryListing.names(directory) ?? [] where name.hasPrefix(prefix) && name.hasSuffix(".partial") {
            unlink(directory + "/" + name)
        }
    }

    /// Device and inode of what `path` names (links followed), nil when nothing is there.
    static func identity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// The directory a file at `path` would be created in ("." for a bare name).
    static func parentDirectory(of path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return "." }
        return slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    }
}
