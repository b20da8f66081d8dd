import Foundation
import Imaging
import Records
import Testing
import _TestSupport

/// `ganprep report`, loaded from a file:// URL by a real headless Chromium
/// (Debian's, installed by make setup): what the page shows, that it is
/// drawn, that it loads nothing from the network and logs no console error.
@Suite struct ReportCommandTests {
    static let chromium = "/usr/bin/chromium"
    /// Chromium's own background traffic (component updates, account and time checks), not the page's.
    static let browserHosts = ["google.com", "googleapis.com", "gvt1.com", "gstatic.com"]

    struct Browser {
        var dom: String
        var consoleLines: [String]
        /// http(s) URLs requested other than the browser's own.
        var requests: [String]
        var screenshot: DecodedImage
    }

    /// Loads `page` twice: once dumping its DOM with a network log and console logging, once for a screenshot.
    func load(_ page: String, scratch: URL) throws -> Browser {
        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions", "--disable-sync",
                     "--disable-background-networking", "--disable-component-update", "--user-data-dir=" + scratch.appendingPathComponent("profile").path]
        let netLog = scratch.appendingPathComponent("net.json").path
        let dumped = try ProcessRunner.run("/usr/bin/timeout", ["120", Self.chromium] + flags
            + ["--enable-logging=stderr", "--v=0", "--log-net-log=" + netLog, "--dump-dom", "file://" + page])
        #expect(dumped.status == 0, "chromium: \(dumped.stderr.suffix(2000))")
        let log = (try? String(contentsOfFile: netLog, encoding: .utf8)) ?? ""
        let urls = Set(log.components(separatedBy: "\"url\":\"").dropFirst().map { String($0.prefix { $0 != "\"" }) })
        let requests = urls.filter { url in
            (url.hasPrefix("http:") || url.hasPrefix("https:")) && !Self.browserHosts.contains { URL(string: url)?.host?.hasSuffix($0) == true }
        }
        let shot = scratch.appendingPathComponent("shot.png").path
        let taken = try ProcessRunner.run("/usr/bin/timeout", ["120", Self.chromium] + flags
            + ["--hide-scrollbars", "--window-size=1000,1400", "--screenshot=" + shot, "file://" + page])
        #expect(taken.status == 0, "chromium screenshot: \(taken.stderr.suffix(2000))")
        let image = try ImageDecoder().decode([UInt8](Data(contentsOf: URL(fileURLWithPath: shot))))
        return Browser(dom: dumped.stdout, consoleLines: dumped.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init),
                       requests: requests.sorted(), screenshot: image)
    }

    @Test func aReportOfAFetchedPackedTrainedRunShowsItsFiguresInChromium() throws {
        #expect(FileManager.default.isExecutableFile(atPath: Self.chromium), "make setup installs chromium for this test")
        let server = try CommandFixtures.imageServer()
        defer { server.stop() }
        let dir = try TestPaths.temporaryDirectory("report")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = { (name: String) in dir.appendingPathComponent(name).path }
        // 24 images in two classes, one record whose description is markup, one failing URL full of markup characters.
        var records: [String] = (0..<24).map { "{\"url\": \"\(server.baseURL)/delay/0/\($0)\", \"description\": \"\($0 % 2 == 0 ? "Shirt" : "Shoe")\"}" }
        records.append("{\"url\": \"\(server.baseURL)/delay/0/99\", \"description\": \"<script>alert(\\\"pwned\\\")</script> & \\\"quoted\\\" 'it'\"}")
        records.append("{\"url\": \"\(server.baseURL)/missing/x?a=1&b=<i>\\\"q\\\"</i>\", \"description\": \"Shoe\"}")
        try ("[\n" + records.joined(separator: ",\n") + "\n]\n").write(toFile: path("records.json"), atomically: true, encoding: .utf8)
        _ = try runGANPrep(["fetch", path("records.json"), "--out", path("fetched"), "--quiet"])
        let packed = try runGANPrep(["pack", path("fetched"), "--out", path("data.h5"), "--size", "16", "--channels", "1", "--quiet"])
        #expect(packed.status == 0, "\(packed.stderr)")
        let trained = try runGANPrep(["train", path("data.h5"), "--model", "mlp", "--steps", "6", "--batch", "8", "--sample-every", "2",
                                      "--checkpoint-every", "3", "--out", path("run"), "--quiet", "--threads", "1"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let resumed = try runGANPrep(["train", path("data.h5"), "--model", "mlp", "--steps", "8", "--batch", "8", "--sample-every", "2",
                                      "--checkpoint-every", "3", "--out", path("run"), "--quiet", "--threads", "1", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        let report = try runGANPrep(["report", path("run")])
        #expect(report.status == 0 && report.stdout.contains("report: \(path("run"))/report.html"), "\(report.stdout) \(report.stderr)")
        #expect(report.stdout.contains("missing: The run was not evaluated"), "\(report.stdout)")

        let page = try load(path("run/report.html"), scratch: dir)
        let dom = page.dom
        #expect(dom.contains("<span id=\"records-count\">26 records.") || dom.contains("id=\"records-count\">26 records."), "\(dom.prefix(3000))")
        #expect(dom.contains("id=\"status-ok\">25<"), "25 records fetched: \(dom.prefix(3000))")
        #expect(dom.contains("Records file: <code>\(path("records.json"))</code>"), "the records file, from the fetch summary")
        #expect(dom.contains("id=\"steps\">8<") && dom.contains("id=\"grid-count\">4<") && dom.contains("id=\"resumes\">1<"), "resumed once after step 6")
        // The final losses, as losses.csv says.
        let last = try String(contentsOfFile: path("run/losses.csv"), encoding: .utf8).split(separator: "\n").last!.split(separator: ",")
        #expect(dom.contains(String(format: "id=\"final-g\">%.4f<", Double(last[4])!)), "G loss \(last[4])")
        #expect(dom.contains(String(format: "id=\"final-d-real\">%.4f<", Double(last[2])!)))
        #expect(dom.contains("id=\"epochs\">"))
        // Markup from the records is text: escaped in the DOM, and the page's one script is its own.
        #expect(dom.contains("&lt;script&gt;alert(\"pwned\")&lt;/script&gt; &amp; \"quoted\" 'it'"), "the markup description as text")
        #expect(dom.contains("b=&lt;i&gt;\"q\"&lt;/i&gt;"), "the markup URL as text")
        #expect(dom.components(separatedBy: "<script").count == 2, "one script element")
        #expect(!dom.contains("<i>\"q\"</i>"))
        #expect(page.requests.isEmpty, "requests from the page: \(page.requests)")
        #expect(page.consoleLines.isEmpty, "console: \(page.consoleLines)")
        let shot = page.screenshot
        #expect(shot.width == 1000 && Set(shot.pixels).count > 20, "a drawn page, not a blank one")
        // A control: the same checks catch a page that does load something, and that logs.
        try "<html><body><img src=\"http://example.com/x.png\"><script>console.error('x')</script></body></html>".write(toFile: path("bad.html"), atomically: true, encoding: .utf8)
        let bad = try load(path("bad.html"), scratch: dir.appendingPathComponent("control"))
        #expect(bad.requests == ["http://example.com/x.png"] && !bad.consoleLines.isEmpty, "\(bad.requests) \(bad.consoleLines)")
        // A report with --link-images links the grids by relative path.
        let linked = try runGANPrep(["report", path("run"), "--link-images", "--out", path("linked.html")])
        #expect(linked.status == 0)
        #expect(try String(contentsOfFile: path("linked.html"), encoding: .utf8).contains("src=\"run/gan_images/step_000008.png\""))
    }

    @Test func missingPartsAreSaidAndANonexistentRunIsRefused() throws {
        let dir = try TestPaths.temporaryDirectory("report-missing")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = { (name: String) in dir.appendingPathComponent(name).path }
        let data = try CommandFixtures.packDemo(40, in: dir)
        _ = try runGANPrep(["train", data, "--model", "mlp", "--steps", "2", "--batch", "8", "--out", path("run"), "--quiet", "--threads", "1"])
        // As if interrupted before its first checkpoint and grid: the log and configuration only.
        try FileManager.default.removeItem(atPath: path("run/checkpoints"))
        try FileManager.default.removeItem(atPath: path("run/gan_images"))
        let report = try runGANPrep(["report", path("run")])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: path("run/report.html"), encoding: .utf8)
        for part in ["The run was not evaluated", "No fetch directory was found", "The run has no checkpoint", "The run wrote no sample grid"] {
            #expect(html.contains(part) && report.stdout.contains("missing: " + part), "\(part): \(report.stdout)")
        }
        let absent = try runGANPrep(["report", path("nowhere")])
        #expect(absent.status == 2 && absent.stderr.contains("is not a run directory"), "\(absent.stderr)")
    }
}
