import Pack
import Foundation
import HDF5
import Storage
import Support
#if canImport(Glibc)
import Glibc
#endif

/// What a merge did.
public struct MergeSummary: Sendable {
    /// Images in the merged file.
    public var images: Int
    /// Images left out because an earlier image (in part order) had the same SHA-256.
    public var duplicatesDropped: Int
    /// Per part: its path, images kept, duplicates dropped.
    public var parts: [(path: String, kept: Int, dropped: Int)]
    /// The merged class names (nil without labels).
    public var labelNames: [String]?
    /// Whether /images is a virtual dataset (false with `copy`).
    public var isVirtual: Bool
    /// Wall time of the merge.
    public var seconds: Double
}

/// Joins datasets packed in shards (`pack --shard I/N`) into one file.
///
/// By default `/images` is an HDF5 virtual dataset over the parts' own
/// `/images` (no pixel is copied; the parts must stay where they are,
/// found relative to the merged file); `copy` writes a plain chunked file
/// instead. Descriptions, URLs, digests and labels are joined into the
/// merged file itself. Images whose SHA-256 an earlier image (in part
/// order) already had are dropped and counted. Labels are re-mapped to the
/// sorted union of the parts' class names. Written under `OUT.<pid>.partial`
/// and renamed when complete; one writer per output.
public final class DatasetMerger {
    /// Whether /images is copied into a plain file instead of mapped.
    public let copy: Bool
    /// The copied /images' compression (with `copy`).
    public let compression: DatasetCompression
    /// The `created_by` attribute: the program and its version.
    public let createdBy: String

    /// A merger that maps (or, with `copy`, copies) the parts' images.
    public init(copy: Bool = false, compression: DatasetCompression = .none, createdBy: String) {
        self.copy = copy
        self.compression = compression
        self.createdBy = createdBy
    }

    /// Merges `paths` into `outputPath`.
    /// - Throws: the part that cannot be merged and why (named), `.storage` for the output's lock or disk.
    public func run(parts paths: [String], outputPath: String) throws(MergeError) -> MergeSummary {
        let started = monotonicSeconds()
        let parts = try openParts(paths, outputPath: outputPath)
        let lock: OutputLock
        do { lock = try OutputLock.file(outputPath) } catch { throw .storage(error) }
        defer { lock.release() }
        OutputTarget.removeStalePartials(of: outputPath)
        let temporary = "\(outputPath).\(getpid()).partial"

        let kept = Self.keptRows(parts)
        let total = kept.reduce(0) { $0 + $1.count }
        let names = parts[0].labels == nil ? nil : Array(Set(parts.flatMap { $0.labels!.names })).sorted()
        var readFailure: (path: String, error: DatasetError)?
        do {
            // Renamed onto the output once closed; on any failure the partial file is removed.
            try HDF5File.replacing(outputPath, temporary: temporary) { file throws(HDF5Error) in
                if copy {
                    try copyImages(parts, kept: kept, total: total, into: file, failure: &readFailure)
                } else {
                    try mapImages(parts, kept: kept, total: total, outputPath: outputPath, into: file)
                }
                func joined(_ values: (MergePart) -> [String]) -> [String] {
                    zip(parts, kept).flatMap { part, rows in rows.map { values(part)[$0] } }
                }
                _ = try file.createStringDataset(DatasetLayout.descriptions, strings: joined(\.descriptions))
                _ = try file.createStringDataset(DatasetLayout.urls, strings: joined(\.urls))
                _ = try file.createStringDataset(DatasetLayout.sha256, strings: joined(\.sha256))
                if let names {
                    let index = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, Int32($0)) })
                    let labels = zip(parts, kept).flatMap { part, rows in
                        rows.map { index[part.labels!.names[Int(part.labels!.values[$0])]]! }
                    }
                    try file.createDataset(DatasetLayout.labels, of: Int32.self, shape: [total]).write(labels)
                    _ = try file.createStringDataset(DatasetLayout.labelNames, strings: names)
                }
                try writeAttributes(parts[0], count: total, dropped: parts.map(\.reader.count).reduce(0, +) - total,
                                    names: paths, to: file)
            }
        } catch {
            if let failure = readFailure { throw .unreadablePart(failure.path, failure.error) }
            throw .output(path: outputPath, error)
        }
        return MergeSummary(
            images: total, duplicatesDropped: parts.map(\.reader.count).reduce(0, +) - total,
            parts: zip(parts, kept).map { ($0.path, $1.count, $0.reader.count - $1.count) },
            labelNames: names, isVirtual: !copy, seconds: monotonicSeconds() - started)
    }

    /// The parts, checked: some given, none twice, none the output, each readable and like the first.
    private func openParts(_ paths: [String], outputPath: String) throws(MergeError) -> [MergePart] {
        guard !paths.isEmpty else { throw .noParts(output: outputPath) }
        let target = URL(fileURLWithPath: outputPath).standardizedFileURL.path
        if let same = paths.first(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == target }) {
            throw .partIsOutput(same)
        }
        var given = Set<String>()
        for path in paths where !given.insert(URL(fileURLWithPath: path).standardizedFileURL.path).inserted {
            throw .givenTwice(path)
        }
        do { try OutputTarget.check(outputPath, option: "--out", inputs: paths) } catch { throw .storage(error) }
        var parts: [MergePart] = []
        for path in paths {
            let part = try MergePart(path: path)
            if let first = parts.first { try part.checkCompatible(with: first) }
            parts.append(part)
        }
        return parts
    }

    /// The rows of each part that stay: all but those whose SHA-256 an
    /// earlier row (in part order) had. Rows without a digest all stay.
    static func keptRows(_ parts: [MergePart]) -> [[Int]] {
        var seen = Set<String>()
        return parts.map { part in
            part.sha256.indices.filter { part.sha256[$0].isEmpty || seen.insert(part.sha256[$0]).inserted }
        }
    }

    /// Consecutive runs of `rows`: (first row, length).
    static func runs(_ rows: [Int]) -> [(start: Int, count: Int)] {
        var result: [(start: Int, count: Int)] = []
        for row in rows {
            if let last = result.last, last.start + last.count == row {
                result[result.count - 1].count += 1
            } else {
                result.append((row, 1))
            }
        }
        return result
    }

    /// `/images` as a virtual dataset: one mapping per run of kept rows,
    /// each part named relative to the merged file's directory.
    private func mapImages(_ parts: [MergePart], kept: [[Int]], total: Int, outputPath: String, into file: HDF5File) throws(HDF5Error) {
        let directory = URL(fileURLWithPath: outputPath).standardizedFileURL.deletingLastPathComponent()
        var mappings: [HDF5VirtualMapping] = []
        var row = 0
        for (part, rows) in zip(parts, kept) {
            let r = part.reader
            let source = Self.relativePath(from: directory, to: URL(fileURLWithPath: part.path).standardizedFileURL)
            for run in Self.runs(rows) {
                mappings.append(HDF5VirtualMapping(
                    targetRow: row, rows: run.count, sourceFile: source, sourceDataset: "/" + DatasetLayout.images,
                    sourceRow: run.start, sourceShape: [r.count, r.height, r.width, r.channels]))
                row += run.count
            }
        }
        let r = parts[0].reader
        // Rows of a part that cannot be read come back as NaN, which readers refuse, never as zeros that look like images.
        _ = try file.createVirtualDataset(DatasetLayout.images, of: Float.self, shape: [total, r.height, r.width, r.channels], mappings: mappings,
                                          fill: .nan)
    }

    /// `/images` as a plain chunked dataset (the first part's chunk rows), copied run by run; a part
    /// that cannot be read is left in `failure` (the error thrown then only stops the write).
    private func copyImages(_ parts: [MergePart], kept: [[Int]], total: Int, into file: HDF5File,
                            failure: inout (path: String, error: DatasetError)?) throws(HDF5Error) {
        let r = parts[0].reader
        let chunk = r.chunkLength
        let images = try file.createDataset(
            DatasetLayout.images, of: Float.self, shape: [total, r.height, r.width, r.channels],
            chunk: [max(1, min(chunk, total)), r.height, r.width, r.channels],
            gzipLevel: compression.gzipLevel, shuffle: compression != .none)
        var buffer = [Float](repeating: 0, count: chunk * r.sampleSize)
        var row = 0
        for (part, rows) in zip(parts, kept) {
            for run in Self.runs(rows) {
                var done = 0
                while done < run.count {
                    let n = min(chunk, run.count - done)
                    try buffer.withUnsafeMutableBufferPointer { (b) throws(HDF5Error) in
                        do throws(DatasetError) { try part.reader.read(start: run.start + done, count: n, into: b) } catch {
                            failure = (part.path, error)
                            throw HDF5Error.operationFailed(path: part.path, operation: "read images", reason: "\(error)")
                        }
                        try images.write(UnsafeBufferPointer(rebasing: b[0..<(n * r.sampleSize)]), start: [row, 0, 0, 0],
                                         count: [n, r.height, r.width, r.channels])
                    }
                    done += n
                    row += n
                }
            }
        }
    }

    private func writeAttributes(_ first: MergePart, count: Int, dropped: Int, names: [String], to file: HDF5File) throws(HDF5Error) {
        for (name, value) in first.reader.attributes()
        where ["format", "format_version", "height", "width", "channels", "channel_order", "value_range", "resize_mode", "label_source"].contains(name) {
            try file.setAttribute(name, value)
        }
        try file.setAttribute("count", .integers([Int64(count)]))
        try file.setAttribute("created_by", .string(createdBy))
        try file.setAttribute("merged_parts", .string(names.joined(separator: "\n")))
        try file.setAttribute("duplicates_dropped", .integers([Int64(dropped)]))
    }

    /// `file` relative to `directory` ("part-0.h5", "../shards/part-0.h5").
    static func relativePath(from directory: URL, to file: URL) -> String {
        let base = directory.pathComponents, target = file.pathComponents
        var common = 0
        while common < min(base.count, target.count) && base[common] == target[common] { common += 1 }
        let up = Array(repeating: "..", count: base.count - common)
        return (up + target[common...]).joined(separator: "/")
    }
}
