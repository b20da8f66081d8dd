import Training
import Foundation

/// The report's samples: the last grid large, a stepper through every grid
/// (with script), and every grid listed (without).
enum SamplesSection {
    static func html(sources: inout ReportSources, images: ReportImages) -> String {
        let folder = sources.run + "/gan_images"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".png") }.sorted()
        var html = "<section id=\"samples\"><h2>Samples</h2>"
        guard let last = names.last else {
            sources.missing.append("The run wrote no sample grid (gan_images/ is empty).")
            return html + "<p class=\"missing\">No sample grids.</p></section>"
        }
        html += "<p><span id=\"grid-count\">\(names.count)</span> grids, from fixed noise: \(HTML.escape(names.first!)) to \(HTML.escape(last)).</p>"
        html += "<div id=\"grid-stepper\" class=\"stepper\" hidden><label for=\"grid-range\">Grid</label>"
            + "<input type=\"range\" id=\"grid-range\" min=\"0\" max=\"\(names.count - 1)\" value=\"\(names.count - 1)\">"
            + "<span id=\"grid-label\">\(HTML.escape(last))</span></div>"
        html += "<figure>" + images.img(file: folder + "/" + last, alt: last, maxWidth: 1000, id: "grid-current")
            + "<figcaption>The last grid, \(HTML.escape(last)).</figcaption></figure>"
        html += "<h3>Every grid</h3><div id=\"grid-list\" class=\"grids\">"
        for name in names {
            html += "<figure>" + images.img(file: folder + "/" + name, alt: name, maxWidth: 240) + "<figcaption>\(HTML.escape(name))</figcaption></figure>"
        }
        return html + "</div></section>"
    }
}
