import Foundation
import Testing
import _TestSupport

/// `report` on a run whose files hold extreme but parseable numbers: every
/// case draws (or skips the value) in bounded time, exit 0, and every
/// coordinate in the page's charts is a finite number.
@Suite struct ReportExtremesTests {
    static let header = "step,epoch,d_loss_real,d_loss_fake,g_loss,d_accuracy,seconds"
    static let metricsHeader = "step,epoch,fid,kid_mean,kid_std,precision,recall,seconds"

    /// losses.csv contents that trapped (integer overflow) or hung (a tick step too small to change the value).
    static let lossCases: [(String, [String])] = [
        ("step 1.4e17 and epoch Int.max", ["1,0,0.7,0.7,0.7,0.5,1.0", "140000000000000000,9223372036854775807,0.6,0.6,0.6,0.5,2.0"]),
        ("Int.max and Int.min steps", ["-9223372036854775808,0,1,1,1,0.5,1.0", "9223372036854775807,9223372036854775807,1,1,1,0.5,2.0"]),
        ("equal values of 1e16 and more", ["1,0,1e16,1e16,1e16,1e16,1.0", "2,0,1e16,1e16,1e16,1e16,1.0", "3,0,3e38,3e38,3e38,3e38,1.0"]),
        ("one step of 1e17", ["100000000000000000,0,1,1,1,0.5,1.0"]),
        ("the float range", ["1,0,-3.4e38,3.4e38,1e-45,-1e-45,1.0", "2,0,3.4e38,-3.4e38,0,0,inf"]),
    ]

    static let metricCases: [(String, [String])] = [
        ("FID from -1e308 to 1e308", ["0,0,-1e308,0,0,0,0,1", "5,0,1e308,0,0,0,0,1", "9,0,1.7976931348623157e308,1e-308,0,0,0,1"]),
        ("equal FIDs of 1e16", ["0,0,1e16,1e16,0,0,0,1", "1,0,1e16,1e16,0,0,0,1"]),
        ("NaN and infinite FIDs", ["0,0,nan,inf,0,0,0,1", "1,0,-inf,nan,0,0,0,1", "2,0,4,0.1,0,0,0,1"]),
    ]

    /// The numbers in the charts' coordinate attributes.
    func coordinates(_ html: String) -> [Substring] {
        let svg = html.components(separatedBy: "<svg").dropFirst().map { $0.components(separatedBy: "</svg>")[0] }.joined()
        var values: [Substring] = []
        for attribute in ["x=\"", "y=\"", "x1=\"", "y1=\"", "x2=\"", "y2=\"", "points=\""] {
            for piece in svg.components(separatedBy: " " + attribute).dropFirst() {
                let value = piece.prefix { $0 != "\"" }
                values += value.split(whereSeparator: { $0 == " " || $0 == "," })
            }
        }
        return values
    }

    func expectDrawn(_ run: URL, _ label: String) throws {
        let binary = productsDirectory.appendingPathComponent("ganprep").path
        let result = try ProcessRunner.run("/usr/bin/timeout", ["60", binary, "report", run.path])
        #expect(result.status == 0, "\(label): exit \(result.status) (124: it hung) \(result.stderr)")
        let html = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
        let values = coordinates(html)
        #expect(!values.isEmpty, "\(label): no chart")
        for value in values { #expect(Double(value)?.isFinite == true, "\(label): coordinate \(value)") }
    }

    @Test func extremeNumbersInARunsFilesDrawInBoundedTime() throws {
        let dir = try TestPaths.temporaryDirectory("report-extremes")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try TestPaths.linkDemoImages(20, into: dir)
        let data = dir.appendingPathComponent("d.h5").path
        let run = dir.appendingPathComponent("run")
        #expect(try runGANPrep(["pack", input.path, "--out", data, "--size", "8", "--channels", "1", "--quiet"]).status == 0)
        let trained = try runGANPrep(["train", data, "--model", "mlp", "--steps", "2", "--out", run.path, "--quiet"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let losses = run.appendingPathComponent("losses.csv"), metrics = run.appendingPathComponent("metrics.csv")
        for (label, lines) in Self.lossCases {
            try ([Self.header] + lines).joined(separator: "\n").write(to: losses, atomically: true, encoding: .utf8)
            try expectDrawn(run, label)
        }
        try ([Self.header, "1,0,0.7,0.7,0.7,0.5,1.0"]).joined(separator: "\n").write(to: losses, atomically: true, encoding: .utf8)
        for (label, lines) in Self.metricCases {
            try ([Self.metricsHeader] + lines).joined(separator: "\n").write(to: metrics, atomically: true, encoding: .utf8)
            try expectDrawn(run, label)
        }
        // A configured batch of 2^62 with a large step: the speed is computed without overflow.
        let configURL = run.appendingPathComponent("config.json")
        let config = try String(contentsOf: configURL, encoding: .utf8)
        let huge = config.replacingOccurrences(of: #""batch" : \d+"#, with: "\"batch\" : 4611686018427387904", options: .regularExpression)
        #expect(huge != config)
        try huge.write(to: configURL, atomically: true, encoding: .utf8)
        try ([Self.header, "140000000000000000,9223372036854775807,0.6,0.6,0.6,0.5,2.0"]).joined(separator: "\n")
            .write(to: losses, atomically: true, encoding: .utf8)
        try expectDrawn(run, "batch 2^62")
    }
}
