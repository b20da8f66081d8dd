import Pack
import Foundation
import HDF5

/// One packed shard as `DatasetMerger` sees it: its shape, attributes,
/// per-image strings and labels, read and checked before anything is written.
struct MergePart {
    let path: String
    let reader: DatasetReader
    let formatVersion: Int
    let channelOrder: String
    let resizeMode: String
    let labelSource: String?
    let descriptions: [String]
    let urls: [String]
    let sha256: [String]
    /// Label names and each image's label, nil without labels.
    let labels: (names: [String], values: [Int32])?

    init(path: String) throws(MergeError) {
        self.path = path
        let reader: DatasetReader
        do { reader = try DatasetReader(path: path) } catch { throw .unreadablePart(path, error) }
        guard reader.format == .ganprep else {
            throw .gapcvPart(path)
        }
        if reader.isVirtual {
            throw .mergedPart(path)
        }
        self.reader = reader
        let attributes = Dictionary(reader.attributes().map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        formatVersion = attributes["format_version"]?.intValue ?? 0
        channelOrder = attributes["channel_order"]?.stringValue ?? "rgb"
        resizeMode = attributes["resize_mode"]?.stringValue ?? ""
        labelSource = attributes["label_source"]?.stringValue
        do {
            descriptions = try reader.descriptions()
            urls = try reader.strings(DatasetLayout.urls)
            sha256 = try reader.strings(DatasetLayout.sha256)
            if let names = try reader.labelNames(), let values = try reader.labels() { labels = (names, values) } else { labels = nil }
        } catch {
            throw .unreadablePart(path, error)
        }
    }

    var shapeText: String { "\(reader.height)x\(reader.width)x\(reader.channels)" }

    /// Refuses a part that cannot join `first`: another image shape, layout
    /// version, channel order or label source (both named).
    func checkCompatible(with first: MergePart) throws(MergeError) {
        func refuse(_ what: MergeError.Property, _ mine: String, _ theirs: String) throws(MergeError) {
            throw .mismatch(part: path, property: what, value: mine, first: first.path, firstValue: theirs)
        }
        if shapeText != first.shapeText { try refuse(.imageSize, shapeText, first.shapeText) }
        if formatVersion != first.formatVersion { try refuse(.layoutVersion, "\(formatVersion)", "\(first.formatVersion)") }
        if channelOrder != first.channelOrder { try refuse(.channelOrder, channelOrder, first.channelOrder) }
        if (labels == nil) != (first.labels == nil) {
            try refuse(.labels, labels == nil ? "no labels" : "labels", first.labels == nil ? "none" : "labels")
        }
        if labelSource != first.labelSource { try refuse(.labelSource, labelSource ?? "nowhere", first.labelSource ?? "nowhere") }
    }
}
