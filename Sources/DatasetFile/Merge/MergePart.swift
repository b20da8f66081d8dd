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

    init(path: String) throws(PackError) {
        self.path = path
        let reader: DatasetReader
        do { reader = try DatasetReader(path: path) } catch { throw .input(path: path, reason: error.description) }
        guard reader.format == .ganprep else {
            throw .input(path: path, reason: "is a GAPCV-layout file; merge joins files that ganprep pack wrote in its own layout")
        }
        if reader.isVirtual {
            throw .input(path: path, reason: "is itself a merged (virtual) file; merge its parts instead")
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
            throw .input(path: path, reason: error.description)
        }
    }

    var shapeText: String { "\(reader.height)x\(reader.width)x\(reader.channels)" }

    /// Refuses a part that cannot join `first`: another image shape, layout
    /// version, channel order or label source (both named).
    func checkCompatible(with first: MergePart) throws(PackError) {
        func refuse(_ what: String, _ mine: String, _ theirs: String) throws(PackError) {
            throw .input(path: path, reason: "\(what) \(mine), but \(first.path) has \(theirs): parts of one dataset must agree")
        }
        if shapeText != first.shapeText { try refuse("holds images of size", shapeText, first.shapeText) }
        if formatVersion != first.formatVersion { try refuse("has layout version", "\(formatVersion)", "\(first.formatVersion)") }
        if channelOrder != first.channelOrder { try refuse("has channel order", channelOrder, first.channelOrder) }
        if (labels == nil) != (first.labels == nil) {
            try refuse("has", labels == nil ? "no labels" : "labels", first.labels == nil ? "none" : "labels")
        }
        if labelSource != first.labelSource { try refuse("has labels from", labelSource ?? "nowhere", first.labelSource ?? "nowhere") }
    }
}
