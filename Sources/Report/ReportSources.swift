import Training
import DatasetFile
import Foundation
import Records

/// Where a run report reads from, found from the run directory and its
/// config.json unless told, and what could not be found.
struct ReportSources {
    let run: String
    var config: TrainingConfig?
    var dataset: String?
    var fetched: String?
    /// Plain sentences, one per missing part.
    var missing: [String] = []

    init(run: String, dataset given: String?, fetched givenFetched: String?) {
        self.run = run
        let configPath = run + "/config.json"
        if let text = try? String(contentsOfFile: configPath, encoding: .utf8) {
            do { config = try TrainingConfig.from(json: text, source: configPath) } catch {
                missing.append("The run configuration (\(configPath)) cannot be read: \(error.description)")
            }
        } else {
            missing.append("The run has no configuration (\(configPath)): it was not started by ganprep train, or was removed.")
        }
        if let given {
            dataset = FileManager.default.fileExists(atPath: given) ? given : nil
            if dataset == nil { missing.append("The dataset given with --dataset (\(given)) does not exist.") }
        } else if let named = config?.dataset {
            // As given to train (relative to where it ran), else beside the run directory.
            let beside = ((run as NSString).deletingLastPathComponent as NSString).appendingPathComponent((named as NSString).lastPathComponent)
            dataset = [named, beside].first { FileManager.default.fileExists(atPath: $0) }
            if dataset == nil { missing.append("The dataset the run trained on (\(named)) is not there any more; --dataset FILE names it.") }
        }
        if let givenFetched {
            fetched = FetchDirectory.isFetchOutput(givenFetched) ? givenFetched : nil
            if fetched == nil { missing.append("--fetched \(givenFetched) is not a fetch output directory (no manifest).") }
        } else if let dataset {
            fetched = Self.fetchDirectory(near: dataset)
            if fetched == nil {
                missing.append("No fetch directory was found for \(dataset) (its pack input, or fetched/ beside it): the records and download statuses are not shown; --fetched DIR names it.")
            }
        }
    }

    /// The fetch output a dataset was packed from: the `input` pack recorded,
    /// else `fetched` or `fetched-N-shards` beside the file (the Makefile's layout).
    static func fetchDirectory(near dataset: String) -> String? {
        var candidates: [String] = []
        if let reader = try? DatasetReader(path: dataset), let input = reader.attributes().first(where: { $0.name == "input" })?.value.stringValue {
            candidates.append(input)
        }
        let folder = (dataset as NSString).deletingLastPathComponent
        let siblings = ((try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []).sorted()
        candidates.append((folder as NSString).appendingPathComponent("fetched"))
        candidates += siblings.filter { $0.hasPrefix("fetched-") }.map { (folder as NSString).appendingPathComponent($0) }
        return candidates.first(where: FetchDirectory.isFetchOutput)
    }
}
