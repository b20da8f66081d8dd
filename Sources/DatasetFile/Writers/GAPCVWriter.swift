import Pack
import Foundation
import HDF5

/// Writes the layout of the Python library GAPCV (`gapcv.vision.Images`), so
/// that `Images().load(name, dir)` opens the file as it is:
///
/// - root attributes `name`, `author`, `source`, `description`, `license`,
///   `date`, `dtype` ("<class 'numpy.float32'>"), `channel` ("['R', 'G', 'B']"
///   or "['K']"), `count`, `time`, `shape` ([height, width]), `class` (a Python
///   dict literal mapping group name to label), `color` (1 colour, 0 gray, as
///   OpenCV's IMREAD flags), `fail`;
/// - one group per label (here: per distinct description), each holding a
///   dataset `data` of float32 [n, H, W, C] ([n, H, W] for gray) with
///   attributes `count`, `label`, `time`.
///
/// GAPCV stores colour images in OpenCV's BGR order; pass `channelOrder`
/// `.bgr` to match code that expects that.
public final class GAPCVWriter: DatasetSink {
    /// The image shape, order, labels and compression it writes.
    public let options: DatasetWriterOptions
    private let file: HDF5File
    private let name: String
    private var groups: [String: (label: Int, data: HDF5Dataset, count: Int)] = [:]
    private var classOrder: [String] = []
    /// Images appended so far.
    public private(set) var count = 0

    /// - Parameter name: the dataset name GAPCV reports (the file's stem).
    public init(path: String, name: String, options: DatasetWriterOptions, source: String = "", description: String = "") throws(DatasetError) {
        self.options = options
        self.name = name
        file = try hdf5 { () throws(HDF5Error) in
            let file = try HDF5File.create(path)
            try file.setAttribute("name", .string(name))
            try file.setAttribute("author", .string(options.createdBy))
            try file.setAttribute("source", .string(source))
            try file.setAttribute("description", .string(description))
            try file.setAttribute("license", .string(""))
            try file.setAttribute("date", .string(Self.pythonDate(Date())))
            try file.setAttribute("dtype", .string("<class 'numpy.float32'>"))
            try file.setAttribute("channel", .string(options.channels == 3 ? "['R', 'G', 'B']" : "['K']"))
            return file
        }
    }

    /// GAPCV's group name for a label: HDF5 names cannot hold "/".
    public static func groupName(for description: String) -> String {
        let cleaned = description.replacingOccurrences(of: "/", with: "_").trimmingCharacters(in: .whitespaces)
        return cleaned.isEmpty || cleaned == "." ? "unnamed" : cleaned
    }

    /// Appends `infos.count` images (`options`' sample size each, from `pixels`) with their metadata.
    public func append(_ pixels: UnsafeBufferPointer<Float>, infos: [SampleInfo]) throws(DatasetError) {
        let size = options.sampleSize
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (i, info) in infos.enumerated() {
            // One group per label: the label text when there is one, else the description.
            let group = Self.groupName(for: info.label ?? info.description)
            if members[group] == nil { order.append(group) }
            members[group, default: []].append(i)
        }
        let o = options
        for group in order {
            let indices = members[group]!
            if groups[group] == nil {
                let label = classOrder.count
                classOrder.append(group)
                let shape = o.channels == 3 ? [0, o.height, o.width, 3] : [0, o.height, o.width]
                let data = try hdf5 { () throws(HDF5Error) in
                    let g = try file.createGroup(group)
                    var chunk = shape
                    chunk[0] = o.resolvedChunk
                    var maxShape: [Int?] = shape.map { Optional($0) }
                    maxShape[0] = nil
                    return try g.createDataset("data", of: Float.self, shape: shape, maxShape: maxShape, chunk: chunk,
                                               gzipLevel: o.compression.gzipLevel, shuffle: o.compression != .none)
                }
                groups[group] = (label, data, 0)
            }
            var entry = groups[group]!
            var gathered = [Float](repeating: 0, count: indices.count * size)
            gathered.withUnsafeMutableBufferPointer { out in
                for (k, i) in indices.enumerated() {
                    (out.baseAddress! + k * size).update(from: pixels.baseAddress! + i * size, count: size)
                }
            }
            var shape = o.channels == 3 ? [0, o.height, o.width, 3] : [0, o.height, o.width]
            var start = shape.map { _ in 0 }
            start[0] = entry.count
            shape[0] = indices.count
            let newCount = entry.count + indices.count
            var extent = shape
            extent[0] = newCount
            try hdf5 { () throws(HDF5Error) in
                try entry.data.extend(to: extent)
                try entry.data.write(gathered, start: start, count: shape)
            }
            entry.count = newCount
            groups[group] = entry
        }
        count += infos.count
        file.startWriteback()  // as DatasetWriter.append
    }

    /// GAPCV's labels are its groups, numbered in the order they were first met.
    public func finish(seconds: Double, failed: Int) throws(DatasetError) -> LabelVocabulary {
        let o = options
        let classes = "{" + classOrder.enumerated().map { "\(Self.pythonString($0.element)): \($0.offset)" }.joined(separator: ", ") + "}"
        try hdf5 { () throws(HDF5Error) in
            for (_, entry) in groups {
                try entry.data.setAttribute("count", .integers([Int64(entry.count)]))
                try entry.data.setAttribute("label", .integers([Int64(entry.label)]))
                try entry.data.setAttribute("time", .doubles([seconds]))
            }
            try file.setAttribute("count", .integers([Int64(count)]))
            try file.setAttribute("time", .doubles([seconds]))
            try file.setAttribute("shape", .integers([Int64(o.height), Int64(o.width)]))
            try file.setAttribute("class", .string(classes))
            try file.setAttribute("color", .integers([o.channels == 3 ? 1 : 0]))
            try file.setAttribute("fail", .integers([Int64(failed)]))
        }
        // Closed now (the close flushes), as DatasetWriter.finish.
        groups = [:]
        try hdf5 { () throws(HDF5Error) in try file.close() }
        return .labels(names: classOrder, indices: [])
    }

    /// A Python string literal (single-quoted) that `ast.literal_eval` reads back.
    static func pythonString(_ s: String) -> String {
        var out = "'"
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    /// `str(datetime.datetime.now())`'s format.
    static func pythonDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSSSS"
        return formatter.string(from: date)
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
