import Foundation
import HDF5

/// Opens a dataset file in the ganprep layout or GAPCV's and reads images as
/// float32 [H, W, C] in [-1, 1], whatever the file stores.
///
/// GAPCV files are read as the concatenation of their label groups in label
/// order; flattened rows ([n, H*W*C]) and gray [n, H, W] data are reshaped,
/// integer data (0...255) and [0, 1] floats are mapped to [-1, 1].
public final class DatasetReader {
    /// One stored dataset contributing `count` images from position `offset`.
    struct Segment {
        var dataset: HDF5Dataset
        var label: String
        var offset: Int
        var count: Int
        /// The stored row shape after N (e.g. [H, W, C], [H, W] or [H*W*C]).
        var rowShape: [Int]
    }

    /// The file.
    public let path: String
    /// Which layout it is in.
    public let format: DatasetFormat
    /// Images in the file.
    public let count: Int
    /// Image height in pixels.
    public let height: Int
    /// Image width in pixels.
    public let width: Int
    /// 1 (gray) or 3.
    public let channels: Int
    /// Images per chunk of the (first) image dataset: the unit of streamed reads.
    public let chunkLength: Int
    /// x_file * scale + offset gives [-1, 1].
    public let scale: Float
    /// Added after `scale`.
    public let offset: Float
    /// The stored element type, for reports.
    public let storedType: String
    let segments: [Segment]
    let file: HDF5File

    /// Floats per image.
    public var sampleSize: Int { height * width * channels }

    /// What a layout's opener found: the format, the image datasets and the image shape.
    struct Opened {
        var format: DatasetFormat
        var segments: [Segment]
        var height: Int
        var width: Int
        var channels: Int
    }

    /// Opens and validates `path`; anything but the two layouts gets
    /// `DatasetError.unknownLayout` naming what the file holds.
    /// - Parameter chunkCacheBytes: chunk cache per image dataset.
    public init(path: String, chunkCacheBytes: Int = 8 << 20) throws(DatasetError) {
        self.path = path
        let file = try hdf5 { () throws(HDF5Error) in try HDF5File.open(path) }
        self.file = file
        let opened = try Self.openLayout(file, path: path, chunkCacheBytes: chunkCacheBytes)
        (format, segments) = (opened.format, opened.segments)
        (height, width, channels) = (opened.height, opened.width, opened.channels)
        // Sizes from the file are checked before anything is allocated for them.
        count = try Self.checkSizes(opened, path: path)
        let sourceChunk = try segments.first.map { (s) throws(DatasetError) in
            try Self.checkVirtualSources(of: s.dataset, path: path, rowShape: s.rowShape)
        } ?? nil
        chunkLength = Swift.max(1, Swift.min(segments.first?.dataset.chunkShape?.first ?? sourceChunk ?? 256, count))
        let typeClass = segments.first!.dataset.typeClass
        storedType = typeClass.description
        (scale, offset) = try Self.valueMapping(typeClass, format: format, segments: segments, path: path,
                                                sampleSize: opened.height * opened.width * opened.channels)
    }

    /// The ganprep layout (by its format attribute, or a plain /images dataset), GAPCV's, or an error naming what the file holds.
    static func openLayout(_ file: HDF5File, path: String, chunkCacheBytes: Int) throws(DatasetError) -> Opened {
        let members = try hdf5 { () throws(HDF5Error) in try file.memberNames() }
        let format = file.hasAttribute("format") ? (try? file.attribute("format").stringValue) ?? nil : nil
        if format == DatasetLayout.formatName || (format == nil && members.contains(DatasetLayout.images) && !file.isGroup(DatasetLayout.images)) {
            let images = try hdf5 { () throws(HDF5Error) in try file.openDataset(DatasetLayout.images, chunkCacheBytes: chunkCacheBytes) }
            let shape = images.shape
            guard shape.count == 4, shape[3] == 1 || shape[3] == 3 else {
                throw .invalid(path: path, problem: .imagesShape(shape))
            }
            return Opened(format: .ganprep, segments: [Segment(dataset: images, label: "", offset: 0, count: shape[0], rowShape: Array(shape.dropFirst()))],
                          height: shape[1], width: shape[2], channels: shape[3])
        }
        if file.hasAttribute("class") && file.hasAttribute("shape") {
            return try openGAPCV(file, members: members, path: path, chunkCacheBytes: chunkCacheBytes)
        }
        // Listing by index (see knownAttributeNames) only for a file that is
        // no dataset at all, to say what it is; the CLI opens it in a child first.
        let description = "members [\(members.joined(separator: ", "))] and root attributes [\(file.attributeNames().joined(separator: ", "))]"
        throw .unknownLayout(path: path, found: description)
    }

    /// GAPCV's layout: its groups in label order, each with a dataset "data" of
    /// rows [H, W, C], [H, W] or flattened [H*W*C] (the shape attribute says H and W).
    static func openGAPCV(_ file: HDF5File, members: [String], path: String, chunkCacheBytes: Int) throws(DatasetError) -> Opened {
        var found: [(label: Int, name: String, data: HDF5Dataset, count: Int)] = []
        for name in members where file.isGroup(name) {
            let group = try hdf5 { () throws(HDF5Error) in try file.openGroup(name) }
            guard group.contains("data") else { continue }
            let data = try hdf5 { () throws(HDF5Error) in try group.openDataset("data", chunkCacheBytes: chunkCacheBytes) }
            let stored = data.shape.first ?? 0
            let declared = (try? data.attribute("count").intValue) ?? nil
            let label = ((try? data.attribute("label").intValue) ?? nil) ?? found.count
            found.append((label, name, data, min(declared ?? stored, stored)))
        }
        found.sort { ($0.label, $0.name) < ($1.label, $1.name) }
        guard let first = found.first else { throw .invalid(path: path, problem: .noGAPCVGroup) }
        let (h, w, c) = try gapcvImageShape(file, rowShape: Array(first.data.shape.dropFirst()), dataShape: first.data.shape, path: path)
        var segments: [Segment] = []
        var offset = 0
        for entry in found {
            guard let rowSize = StoredImagesCheck.product(Array(entry.data.shape.dropFirst())),
                  rowSize == StoredImagesCheck.product([h, w, c]) else {
                throw .invalid(path: path, problem: .groupShape(group: entry.name, rows: Array(entry.data.shape.dropFirst()), height: h, width: w, channels: c))
            }
            segments.append(Segment(dataset: entry.data, label: entry.name, offset: offset, count: entry.count,
                                    rowShape: Array(entry.data.shape.dropFirst())))
            offset += entry.count
        }
        return Opened(format: .gapcv, segments: segments, height: h, width: w, channels: c)
    }

    /// A GAPCV file's image shape from its first group's rows (and the shape and color attributes for flattened rows).
    static func gapcvImageShape(_ file: HDF5File, rowShape: [Int], dataShape: [Int], path: String) throws(DatasetError) -> (Int, Int, Int) {
        let color = ((try? file.attribute("color").intValue) ?? nil) ?? 1
        switch rowShape.count {
        case 3: return (rowShape[0], rowShape[1], rowShape[2])
        case 2: return (rowShape[0], rowShape[1], 1)
        case 1:
            let c = color == 0 ? 1 : 3
            let shapeAttribute = (try? file.attribute("shape").doublesValue) ?? nil
            guard let s = shapeAttribute, s.count >= 2, s[0].isFinite, s[1].isFinite,
                  (1...65536).contains(s[0]), (1...65536).contains(s[1]),
                  StoredImagesCheck.product([Int(s[0]), Int(s[1]), c]) == rowShape[0] else {
                throw .invalid(path: path, problem: .flattenedRows(values: rowShape[0]))
            }
            return (Int(s[0]), Int(s[1]), c)
        default:
            throw .invalid(path: path, problem: .notImages(shape: dataShape))
        }
    }

    /// Checks the image shape, chunks and stored sizes; returns the image count.
    static func checkSizes(_ opened: Opened, path: String) throws(DatasetError) -> Int {
        let sampleSize = try StoredImagesCheck.imageShape(path: path, height: opened.height, width: opened.width, channels: opened.channels)
        var total = 0
        for segment in opened.segments {
            try StoredImagesCheck.chunks(path: path, dataset: segment.dataset)
            try StoredImagesCheck.storage(path: path, dataset: segment.dataset, rows: segment.count, rowElements: sampleSize)
            total += segment.count
        }
        guard total > 0 else { throw .invalid(path: path, problem: .noImages) }
        guard StoredImagesCheck.product([total, sampleSize, MemoryLayout<Float>.size]) != nil else {
            throw .invalid(path: path, problem: .sizeOverflow(count: total, height: opened.height, width: opened.width, channels: opened.channels))
        }
        return total
    }

    /// x_file * scale + offset gives [-1, 1]: integers are 0...255; ganprep's floats are [-1, 1];
    /// GAPCV's floats are probed (its default is [0, 1], ganprep's GAPCV files hold [-1, 1]).
    static func valueMapping(_ typeClass: HDF5TypeClass, format: DatasetFormat, segments: [Segment], path: String,
                             sampleSize: Int) throws(DatasetError) -> (Float, Float) {
        switch typeClass {
        case .integer: return (1 / 127.5, -1)
        case .float:
            guard format == .gapcv else { return (1, 0) }
            let seg = segments[0]
            let m = Swift.min(16, seg.count)
            var probe = [Float](repeating: 0, count: m * sampleSize)
            try probe.withUnsafeMutableBufferPointer { (buffer) throws(DatasetError) in
                try hdf5 { () throws(HDF5Error) in
                    try seg.dataset.read(into: buffer, start: [0] + seg.rowShape.map { _ in 0 }, count: [m] + seg.rowShape)
                }
            }
            let lo = probe.min() ?? 0, hi = probe.max() ?? 0
            if hi > 1.5 { return (1 / 127.5, -1) }
            return lo >= 0 ? (2, -1) : (1, 0)
        default:
            throw .invalid(path: path, problem: .notNumbers(typeClass: "\(typeClass)"))
        }
    }

    /// The label (GAPCV group) of each image, or the descriptions of a
    /// ganprep file, in image order.
    public func descriptions() throws(DatasetError) -> [String] {
        var all: [String] = []
        try forEachDescriptions(chunk: Int.max) { all += $0 }
        return all
    }

    /// How many descriptions the file holds (for a ganprep file, the rows of
    /// /descriptions, checked as `descriptions()` checks them; none read).
    public func descriptionCount() throws(DatasetError) -> Int {
        guard format == .ganprep else { return count }
        return try descriptionDataset()?.rows ?? count
    }

    /// The descriptions, `chunk` at a time in image order: a million of them
    /// are never all in memory.
    public func forEachDescriptions(chunk: Int = 1 << 16, _ body: ([String]) -> Void) throws(DatasetError) {
        guard format == .ganprep else {
            for segment in segments { body(Array(repeating: segment.label, count: segment.count)) }
            return
        }
        guard let (dataset, rows) = try descriptionDataset() else {
            body(Array(repeating: "", count: count))
            return
        }
        var start = 0
        while start < rows {
            let n = min(chunk, rows - start)
            body(try hdf5 { () throws(HDF5Error) in try dataset.readStrings(start: start, count: n) })
            start += n
        }
    }

    /// /descriptions and its rows (one string per image at most, and only as
    /// many as the file really stores), nil when the file has none.
    private func descriptionDataset() throws(DatasetError) -> (HDF5Dataset, rows: Int)? {
        guard file.contains(DatasetLayout.descriptions) else { return nil }
        let dataset = try hdf5 { () throws(HDF5Error) in try file.openDataset(DatasetLayout.descriptions) }
        let rows = dataset.shape.first ?? 1
        guard rows <= count else {
            throw .invalid(path: path, problem: .descriptionRows(rows: rows, count: count))
        }
        try StoredImagesCheck.storage(path: path, dataset: dataset, rows: rows, rowElements: 1, unit: "descriptions")
        return (dataset, rows)
    }

    /// The root attributes of both layouts (ganprep's, then GAPCV's). They
    /// are looked up by name: listing attributes by index walks libhdf5
    /// 1.10's attribute table, which dereferences NULL on some damaged files
    /// (found by the dataset fuzzer).
    public static let knownAttributeNames = [
        "format", "format_version", "height", "width", "channels", "channel_order", "value_range", "resize_mode", "count",
        "created_by", "label_source", "counts_by_reason", "input",
        "name", "author", "source", "description", "license", "date", "dtype", "channel", "time", "shape", "class", "color", "fail",
    ]

    /// The root attributes this reader knows that the file has, by name.
    public func attributes() -> [(name: String, value: HDF5AttributeValue)] {
        Self.knownAttributeNames.compactMap { name in
            file.hasAttribute(name) ? (try? file.attribute(name)).map { (name, $0) } : nil
        }
    }

    /// The stored shape and chunk shape of each image dataset, for reports.
    public func storage() -> [(path: String, shape: [Int], chunk: [Int]?, filters: [String])] {
        segments.map { ($0.dataset.objectPath, $0.dataset.shape, $0.dataset.chunkShape, $0.dataset.filters) }
    }

    /// Reads what every command reads first: the known attributes, the
    /// descriptions (up to a million), the first and the last chunk of
    /// images. Used to try a file before trusting it with a run.
    public func readSample() throws(DatasetError) {
        _ = attributes()
        if count <= 1_000_000 { try forEachDescriptions { _ in } }
        let chunk = Swift.max(1, Swift.min(chunkLength, count))
        var buffer = [Float](repeating: 0, count: chunk * sampleSize)
        for start in Set([0, count - chunk]) {
            try buffer.withUnsafeMutableBufferPointer { (b) throws(DatasetError) in try read(start: start, count: chunk, into: b) }
        }
    }

    /// Reads images [start, start + n) into `output` (n * sampleSize floats), in [-1, 1].
    public func read(start: Int, count n: Int, into output: UnsafeMutableBufferPointer<Float>) throws(DatasetError) {
        precondition(start >= 0 && n >= 0 && start + n <= count, "images \(start)..<\(start + n) out of 0..<\(count)")
        precondition(output.count >= n * sampleSize, "output too small")
        var done = 0
        for segment in segments where done < n {
            let position = start + done
            guard position < segment.offset + segment.count else { continue }
            let local = position - segment.offset
            let take = Swift.min(n - done, segment.count - local)
            let slice = UnsafeMutableBufferPointer(rebasing: output[(done * sampleSize)..<((done + take) * sampleSize)])
            try hdf5 { () throws(HDF5Error) in
                try segment.dataset.read(into: slice, start: [local] + segment.rowShape.map { _ in 0 }, count: [take] + segment.rowShape)
            }
            if segment.dataset.isVirtual { try checkVirtualRead(UnsafeBufferPointer(slice), segment: segment, firstRow: local) }
            done += take
        }
        if scale != 1 || offset != 0 {
            let s = scale, o = offset
            for i in 0..<(n * sampleSize) { output[i] = output[i] * s + o }
        }
    }
}
