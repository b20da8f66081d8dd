import Training
import Evaluation
import Foundation
import Records

/// The report's training section: configuration, progress, speed, resumes,
/// checkpoints, and the loss, accuracy and evaluation curves.
enum TrainingSection {
    static func html(sources: inout ReportSources) -> String {
        let run = sources.run
        var html = "<section id=\"training\"><h2>Training</h2>"
        let records = ((try? String(contentsOfFile: run + "/losses.csv", encoding: .utf8)) ?? "")
            .split(separator: "\n").compactMap(LossRecord.init(csvLine:))
        if let last = records.last {
            let batch = sources.config?.batch ?? 0
            // In doubles: a run's files may hold any integers (2^62 batches, Int.max epochs) and must not trap the report.
            let rate = last.seconds > 0 ? Double(batch) * Double(last.step) / last.seconds : 0
            html += HTML.table([
                ["steps", "<span id=\"steps\">\(HTML.count(last.step))</span>" + (sources.config?.steps.map { " of \(HTML.count($0))" } ?? "")],
                ["epochs", "<span id=\"epochs\">\(last.epoch.addingReportingOverflow(1).overflow ? last.epoch : last.epoch + 1)</span>" + (sources.config.map { $0.steps == nil ? " of \($0.epochs)" : "" } ?? "")],
                ["final losses", String(format: "D real <span id=\"final-d-real\">%.4f</span>, D fake <span id=\"final-d-fake\">%.4f</span>, G <span id=\"final-g\">%.4f</span>, D accuracy <span id=\"final-accuracy\">%.3f</span>",
                                        last.discriminatorLossReal, last.discriminatorLossFake, last.generatorLoss, last.discriminatorAccuracy)],
                ["recipe", "<span id=\"recipe\">\(HTML.escape((sources.config?.options.trainingRecipe).map(\.summary) ?? "?"))</span>"],
                ["wall time", String(format: "%.1f s", last.seconds)],
                ["speed", String(format: "%.1f images/s (batch %d)", rate, batch)],
            ], header: false)
            html += SVGChart.render(Chart(title: "Losses by step", series: [
                .init(name: "D loss, real", color: (0x1f, 0x77, 0xb4), points: records.map { (Double($0.step), Double($0.discriminatorLossReal)) }),
                .init(name: "D loss, generated", color: (0xff, 0x7f, 0x0e), points: records.map { (Double($0.step), Double($0.discriminatorLossFake)) }),
                .init(name: "G loss", color: (0x2c, 0xa0, 0x2c), points: records.map { (Double($0.step), Double($0.generatorLoss)) }),
            ]))
            html += SVGChart.render(Chart(title: "Discriminator accuracy by step", series: [
                .init(name: "D accuracy", color: (0x94, 0x67, 0xbd), points: records.map { (Double($0.step), Double($0.discriminatorAccuracy)) }),
            ]))
            if records.contains(where: { $0.augmentProbability > 0 }) {
                html += SVGChart.render(Chart(title: "Adaptive augmentation: probability p by step", series: [
                    .init(name: "p", color: (0x17, 0xbe, 0xcf), points: records.map { (Double($0.step), Double($0.augmentProbability)) }),
                ]))
            }
        } else {
            sources.missing.append("The run recorded no step (\(run)/losses.csv is missing or empty).")
        }
        html += evaluationHTML(sources: &sources)
        html += historyHTML(run: run)
        let checkpoints = TrainingRun.checkpoints(inRun: run).map { ($0 as NSString).lastPathComponent }
        let best = FileManager.default.fileExists(atPath: run + "/checkpoints/best.h5")
        if checkpoints.isEmpty {
            sources.missing.append("The run has no checkpoint: it stopped before its first (--checkpoint-every, or the end of an epoch).")
        } else {
            html += "<p>Checkpoints: " + checkpoints.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ")
                + (best ? ", and <code>best.h5</code> (lowest FID)" : "") + ".</p>"
        }
        if let config = sources.config {
            html += "<details><summary>Configuration (config.json)</summary><pre>\(HTML.escape(config.json))</pre></details>"
        }
        return html + "</section>"
    }

    static func evaluationHTML(sources: inout ReportSources) -> String {
        let metrics = ((try? String(contentsOfFile: sources.run + "/metrics.csv", encoding: .utf8)) ?? "")
            .split(separator: "\n").compactMap(MetricsRecord.init(csvLine:))
        guard let last = metrics.last else {
            sources.missing.append("The run was not evaluated (no metrics.csv): train with --classifier for FID, KID, precision and recall.")
            return ""
        }
        let best = metrics.filter { $0.fid.isFinite }.min { $0.fid < $1.fid }
        var html = "<h3>Sample quality</h3>"
        html += HTML.table([
            ["FID", String(format: "<span id=\"fid-first\">%.3f</span> at step %d, <span id=\"fid-last\">%.3f</span> at step %d", metrics[0].fid, metrics[0].step, last.fid, last.step)],
            ["FID floor (real against real)", last.fidFloor.isFinite ? String(format: "<span id=\"fid-floor\">%.3f</span> (what a perfect generator would score)", last.fidFloor) : "-"],
            ["best FID", best.map { String(format: "<span id=\"fid-best\">%.3f</span> at step %d (checkpoints/best.h5)", $0.fid, $0.step) } ?? "-"],
            ["KID, precision, recall at the end", String(format: "%.5f ± %.5f, %.3f, %.3f", last.kidMean, last.kidStd, last.precision, last.recall)],
        ], header: false)
        html += SVGChart.render(Chart(title: "FID by step", series: [
            .init(name: "FID", color: (0xd6, 0x27, 0x28), points: metrics.map { (Double($0.step), $0.fid) }),
        ] + (metrics.contains { $0.fidFloor.isFinite } ? [
            .init(name: "floor (real against real)", color: (0x7f, 0x7f, 0x7f),
                  points: metrics.filter { $0.fidFloor.isFinite }.map { (Double($0.step), $0.fidFloor) }),
        ] : [])))
        html += SVGChart.render(Chart(title: "KID by step", series: [
            .init(name: "KID", color: (0x8c, 0x56, 0x4b), points: metrics.map { (Double($0.step), $0.kidMean) }),
        ]))
        return html
    }

    /// Starts and resumes, from history.jsonl (runs before it existed have none).
    static func historyHTML(run: String) -> String {
        guard let text = try? String(contentsOfFile: run + "/history.jsonl", encoding: .utf8) else {
            return "<p>Starts and resumes: not recorded (the run predates history.jsonl).</p>"
        }
        let events = text.split(separator: "\n").compactMap { try? JSONParser.parse(Array($0.utf8)) }
        let resumes = events.filter { $0["event"]?.stringValue == "resume" }
        return "<p>Started \(HTML.escape(events.first?["time"]?.stringValue ?? "?")); resumed <span id=\"resumes\">\(resumes.count)</span> time\(resumes.count == 1 ? "" : "s")"
            + (resumes.isEmpty ? "" : " (after steps " + resumes.map { "\($0["step"]?.intValue ?? 0)" }.joined(separator: ", ") + ")") + ".</p>"
    }
}
