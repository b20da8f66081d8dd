import Training
import DatasetFile
import Foundation
import HDF5
import Imaging
import Records
import Storage
import Support

/// `ganprep report`: one self-contained HTML page about a run — its data
/// (records, fetch statuses, what pack kept, classes, real images), its
/// training (configuration, losses, evaluations, speed, resumes) and its
/// samples (every grid, the last one large). Charts are inline SVG, images
/// data URIs (or relative links), no script or font from the network.
public struct RunReport {
    /// What to report on and where.
    public struct Options: Sendable {
        /// The run directory.
        public var run: String
        /// The HTML file (default RUN/report.html).
        public var out: String?
        /// The dataset (default: from config.json).
        public var dataset: String?
        /// The fetch directory (default: from the dataset).
        public var fetched: String?
        /// Link the grids by relative path instead of embedding them.
        public var linkImages = false
        /// The program named in the page's footer.
        public var generator = "ganprep"

        /// Options for a report on `run`.
        public init(run: String, out: String? = nil, dataset: String? = nil, fetched: String? = nil, linkImages: Bool = false, generator: String = "ganprep") {
            self.run = run
            self.out = out
            self.dataset = dataset
            self.fetched = fetched
            self.linkImages = linkImages
            self.generator = generator
        }
    }

    /// What was written.
    public struct Written: Sendable {
        /// The page written.
        public var path: String
        /// Its size in bytes.
        public var bytes: Int
        /// The parts the report says are missing.
        public var missing: [String]
    }

    /// Writes the report. - Throws: `.output` when the run directory does not exist or the file cannot be written.
    public static func write(_ options: Options) throws(TrainingError) -> Written {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.run, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .dataset(.notARunDirectory(path: options.run))
        }
        let out = options.out ?? options.run + "/report.html"
        var sources = ReportSources(run: options.run, dataset: options.dataset, fetched: options.fetched)
        // What the report reads: the run's files (but earlier reports), the dataset and the fetch directory's.
        let inputs = OutputTarget.files(under: options.run, depth: 3).filter { !$0.hasSuffix(".html") }
            + [sources.dataset].compactMap { $0 } + (sources.fetched.map { OutputTarget.files(under: $0, depth: 1) } ?? [])
        do { try OutputTarget.check(out, option: "--out", inputs: inputs) } catch { throw .storage(error) }
        let images = ReportImages(report: out, link: options.linkImages)
        var body = ""
        body += DataSection.html(sources: &sources, images: images)
        body += TrainingSection.html(sources: &sources)
        body += SamplesSection.html(sources: &sources, images: images)
        let missing = sources.missing.isEmpty ? "" : "<section id=\"missing\"><h2>Not in this report</h2><ul>"
            + sources.missing.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul></section>"
        let page = ReportPage.wrap(title: "ganprep run report: " + options.run, generator: options.generator, body: missing + body)
        do { try FileWriting.replace(out, withText: page) } catch { throw .storage(error) }
        return Written(path: out, bytes: page.utf8.count, missing: sources.missing)
    }
}

/// Images for the page: data URIs of PNGs (downscaled to a width), or links relative to the report.
struct ReportImages {
    let report: String
    let link: Bool

    /// An <img> of the PNG file at `path`, at most `maxWidth` pixels wide when embedded.
    func img(file path: String, alt: String, maxWidth: Int, id: String? = nil) -> String {
        let idAttribute = id.map { " id=\"\($0)\"" } ?? ""
        if link {
            return "<img\(idAttribute) src=\"\(HTML.escape(relative(path)))\" alt=\"\(HTML.escape(alt))\" loading=\"lazy\">"
        }
        guard let bytes = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path))),
              let image = try? ImageDecoder().decode(bytes) else {
            return "<p class=\"missing\">\(HTML.escape(alt)): \(HTML.escape(path)) cannot be read.</p>"
        }
        return img(image, alt: alt, maxWidth: maxWidth, id: id)
    }

    func img(_ image: DecodedImage, alt: String, maxWidth: Int, id: String? = nil) -> String {
        let idAttribute = id.map { " id=\"\($0)\"" } ?? ""
        let shown = Self.grayIfNeutral(Self.downscaled(image, toWidth: maxWidth))
        guard let png = try? PNGEncoder.encode(shown) else { return "" }
        return "<img\(idAttribute) src=\"\(HTML.dataURI(png: png))\" alt=\"\(HTML.escape(alt))\" width=\"\(shown.width)\" height=\"\(shown.height)\">"
    }

    func relative(_ path: String) -> String {
        let base = URL(fileURLWithPath: (report as NSString).deletingLastPathComponent).standardizedFileURL.pathComponents
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        var common = 0
        while common < min(base.count, target.count) && base[common] == target[common] { common += 1 }
        return (Array(repeating: "..", count: base.count - common) + target[common...]).joined(separator: "/")
    }

    /// An RGB image whose pixels are all gray, as one channel (a third of the PNG).
    static func grayIfNeutral(_ image: DecodedImage) -> DecodedImage {
        guard image.channels == 3 else { return image }
        var gray = [UInt8](repeating: 0, count: image.width * image.height)
        for i in 0..<gray.count {
            let (r, g, b) = (image.pixels[3 * i], image.pixels[3 * i + 1], image.pixels[3 * i + 2])
            guard r == g && g == b else { return image }
            gray[i] = r
        }
        return DecodedImage(width: image.width, height: image.height, channels: 1, pixels: gray)
    }

    /// `image` shrunk by a whole factor (area average) until it is at most `width` wide.
    static func downscaled(_ image: DecodedImage, toWidth width: Int) -> DecodedImage {
        let factor = (image.width + width - 1) / max(1, width)
        guard factor > 1 else { return image }
        let w = image.width / factor, h = image.height / factor, c = image.channels
        var pixels = [UInt8](repeating: 0, count: w * h * c)
        for y in 0..<h {
            for x in 0..<w {
                for k in 0..<c {
                    var sum = 0
                    for dy in 0..<factor { for dx in 0..<factor { sum += Int(image[y * factor + dy, x * factor + dx, k]) } }
                    pixels[(y * w + x) * c + k] = UInt8(sum / (factor * factor))
                }
            }
        }
        return DecodedImage(width: w, height: h, channels: c, pixels: pixels)
    }
}
