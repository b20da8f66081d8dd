import Pack
import HDF5
import Imaging

/// Writes the ganprep layout.
public final class DatasetWriter: DatasetSink {
    /// The image shape, order, labels and compression it writes.
    public let options: DatasetWriterOptions
    private let file: HDF5File
    /// The datasets appended to, until `finish`.
    private struct Open {
        var images, descriptions, urls, digests: HDF5Dataset
    }
    private var open: Open?
    /// Images appended so far.
    public private(set) var count = 0
    /// Each written image's label text, for the vocabulary decided at `finish`.
    private var labelTexts = LabelCollector()

    /// Creates the file (replacing any at `path`) with empty, extendable datasets.
    public init(path: String, options: DatasetWriterOptions) throws(DatasetError) {
        self.options = options
        let o = options
        let chunk = o.resolvedChunk
        (file, open) = try hdf5 { () throws(HDF5Error) in
            let file = try HDF5File.create(path)
            let images = try file.createDataset(
                DatasetLayout.images, of: Float.self, shape: [0, o.height, o.width, o.channels],
                maxShape: [nil, o.height, o.width, o.channels], chunk: [chunk, o.height, o.width, o.channels],
                gzipLevel: o.compression.gzipLevel, shuffle: o.compression != .none)
            let descriptions = try file.createStringDataset(DatasetLayout.descriptions, strings: [], chunk: 1024)
            let urls = try file.createStringDataset(DatasetLayout.urls, strings: [], chunk: 1024)
            let digests = try file.createStringDataset(DatasetLayout.sha256, strings: [], chunk: 1024)
            try file.setAttribute("format", .string(DatasetLayout.formatName))
            try file.setAttribute("format_version", .integers([Int64(DatasetLayout.formatVersion)]))
            try file.setAttribute("height", .integers([Int64(o.height)]))
            try file.setAttribute("width", .integers([Int64(o.width)]))
            try file.setAttribute("channels", .integers([Int64(o.channels)]))
            try file.setAttribute("channel_order", .string(o.channels == 1 ? "gray" : o.channelOrder.rawValue))
            try file.setAttribute("value_range", .doubles([-1, 1]))
            try file.setAttribute("resize_mode", .string(o.resizeMode.rawValue))
            try file.setAttribute("count", .integers([0]))
            try file.setAttribute("created_by", .string(o.createdBy))
            return (file, Open(images: images, descriptions: descriptions, urls: urls, digests: digests))
        }
    }

    /// Appends `infos.count` images (`options`' sample size each, from `pixels`) with their metadata.
    public func append(_ pixels: UnsafeBufferPointer<Float>, infos: [SampleInfo]) throws(DatasetError) {
        let n = infos.count
        guard n > 0 else { return }
        let o = options
        precondition(pixels.count >= n * o.sampleSize, "append needs \(n) images of \(o.sampleSize) floats")
        let start = count
        guard let open else { throw .invalid(path: file.filePath, problem: .appendedAfterFinish) }
        try hdf5 { () throws(HDF5Error) in
            let images = open.images
            try images.extend(to: [start + n, o.height, o.width, o.channels])
            try images.write(UnsafeBufferPointer(rebasing: pixels[0..<(n * o.sampleSize)]),
                             start: [start, 0, 0, 0], count: [n, o.height, o.width, o.channels])
            for (dataset, values) in [(open.descriptions, infos.map(\.description)), (open.urls, infos.map(\.url)), (open.digests, infos.map(\.sha256))] {
                try dataset.extend(to: [start + n])
                try dataset.writeStrings(values, start: start)
            }
        }
        count += n
        for info in infos { labelTexts.append(info.label) }
        // To disk as it goes: few dirty pages on large packs, and no flush of the whole file at the end
        // (ext4 writes a file out before renaming it over an older one).
        file.startWriteback()
    }

    /// Writes the labels and closing attributes and closes the file (before the caller renames it).
    public func finish(seconds: Double, failed: Int) throws(DatasetError) -> LabelVocabulary {
        let vocabulary = options.vocabulary(labelTexts)
        try hdf5 { () throws(HDF5Error) in
            if case let .labels(names, indices) = vocabulary {
                try file.createDataset(DatasetLayout.labels, of: Int32.self, shape: [indices.count]).write(indices)
                _ = try file.createStringDataset(DatasetLayout.labelNames, strings: names)
                try file.setAttribute("label_source", .string(options.labels.description))
            }
            try file.setAttribute("count", .integers([Int64(count)]))
        }
        // Closed now (the close flushes): the caller renames the file into place next.
        open = nil
        try hdf5 { () throws(HDF5Error) in try file.close() }
        return vocabulary
    }

    /// Sets a text attribute of the file's root (before `finish`).
    public func setRootText(_ name: String, _ value: String) throws(DatasetError) {
        try setRootAttribute(name, .string(value))
    }

    /// Sets an attribute of the file's root (before `finish`).
    public func setRootAttribute(_ name: String, _ value: HDF5AttributeValue) throws(DatasetError) {
        try hdf5 { () throws(HDF5Error) in try file.setAttribute(name, value) }
    }
}
