import Training
import DatasetFile
import Foundation
import Imaging
import Records

/// The report's data section: records and fetch statuses, what pack kept
/// and left out, the dataset's shape and classes, and a grid of real images.
enum DataSection {
    static func html(sources: inout ReportSources, images: ReportImages) -> String {
        var html = "<section id=\"data\"><h2>Data</h2>"
        html += fetchHTML(sources: &sources)
        html += datasetHTML(sources: &sources, images: images)
        return html + "</section>"
    }

    static func fetchHTML(sources: inout ReportSources) -> String {
        guard let fetched = sources.fetched else { return "<h3>Records and downloads</h3><p class=\"missing\">No fetch directory: see above.</p>" }
        var html = "<h3>Records and downloads</h3><p>Fetch directory: <code>\(HTML.escape(fetched))</code></p>"
        let entries: [ManifestEntry]
        do { entries = try FetchDirectory.entries(in: fetched).entries.values.sorted { $0.index < $1.index } } catch {
            sources.missing.append("The fetch manifest in \(fetched) cannot be read: \(error.description)")
            return html
        }
        if let text = try? String(contentsOfFile: fetched + "/summary.json", encoding: .utf8),
           let summary = try? JSONParser.parse(Array(text.utf8)) {
            if let records = summary["records_file"]?.stringValue { html += "<p>Records file: <code>\(HTML.escape(records))</code></p>" }
            if let seconds = summary["seconds"]?.doubleValue, let rate = summary["images_per_second"]?.doubleValue {
                html += String(format: "<p>Fetched in %.1f s, %.1f images/s.</p>", seconds, rate)
            }
        }
        var counts: [String: Int] = [:]
        for e in entries { counts[e.status.rawValue, default: 0] += 1 }
        html += "<p id=\"records-count\">\(HTML.count(entries.count)) records.</p>"
        html += HTML.table([["status", "records"]] + counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map {
            ["<span class=\"status\">\(HTML.escape($0.key))</span>", "<span id=\"status-\(HTML.escape($0.key))\">\(HTML.count($0.value))</span>"]
        })
        let failed = entries.filter { $0.status != .ok && $0.status != .duplicate }
        if !failed.isEmpty {
            var byHost: [String: Int] = [:]
            for e in failed { byHost[URL(string: e.url)?.host ?? "(no host)", default: 0] += 1 }
            html += "<h4>Hosts with the most failures</h4>" + HTML.table([["host", "failed records"]]
                + byHost.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(5).map { [HTML.escape($0.key), HTML.count($0.value)] })
            html += "<h4>First failed records</h4>" + HTML.table([["record", "url", "description", "status", "error"]] + failed.prefix(10).map {
                ["\($0.index)", HTML.escape($0.url), HTML.escape($0.description), HTML.escape($0.status.rawValue), HTML.escape($0.error ?? "")]
            })
        }
        return html
    }

    static func datasetHTML(sources: inout ReportSources, images: ReportImages) -> String {
        guard let path = sources.dataset else { return "<h3>Dataset</h3><p class=\"missing\">No dataset: see above.</p>" }
        var html = "<h3>Dataset</h3>"
        let reader: DatasetReader
        do { reader = try DatasetReader(path: path) } catch {
            sources.missing.append("The dataset \(path) cannot be read: \(error.description)")
            return html
        }
        html += HTML.table([
            ["file", "<code>\(HTML.escape(path))</code>"], ["layout", HTML.escape(reader.format.rawValue)],
            ["images", "<span id=\"dataset-count\">\(HTML.count(reader.count))</span>"],
            ["size", "\(reader.height)x\(reader.width)x\(reader.channels)"],
        ], header: false)
        let attributes = Dictionary(reader.attributes().map { ($0.name, $0.value) }) { a, _ in a }
        if let text = attributes["counts_by_reason"]?.stringValue, case let .object(fields)? = try? JSONParser.parse(Array(text.utf8)) {
            html += "<h4>What pack kept and left out</h4>" + HTML.table([["fate", "images"]] + fields.map {
                [HTML.escape($0.0), HTML.count($0.1.intValue ?? 0)]
            })
        } else {
            html += "<p class=\"missing\">The file does not say what pack left out (packed before ganprep recorded it).</p>"
        }
        if let names = try? reader.labelNames(), let labels = try? reader.labels() {
            let counts = DatasetReader.classCounts(labels, classes: names.count)
            html += "<h4>Classes</h4>" + HTML.table([["class", "images"]] + zip(names, counts).map { [HTML.escape($0), HTML.count($1)] })
        } else {
            html += "<p>No class labels.</p>"
        }
        let n = min(32, reader.count)
        var samples = [Float](repeating: 0, count: n * reader.sampleSize)
        if n > 0, (try? samples.withUnsafeMutableBufferPointer { (b) throws(DatasetError) in try reader.read(start: 0, count: n, into: b) }) != nil {
            let grid = samples.withUnsafeBufferPointer {
                SampleGrid.render($0, count: n, height: reader.height, width: reader.width, channels: reader.channels,
                                  columns: 8, scale: reader.height < 48 ? 2 : 1)
            }
            html += "<figure>" + images.img(grid, alt: "the first \(n) real images", maxWidth: 900) + "<figcaption>The first \(n) images of the dataset.</figcaption></figure>"
        }
        return html
    }
}
