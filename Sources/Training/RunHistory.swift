import Foundation
import Storage

/// `history.jsonl` in a run directory: a line per start and resume (the
/// step it continued after and the time), so a report can tell how the run went.
enum RunHistory {
    static func append(event: String, step: Int, in directory: String) throws(TrainingError) {
        let time = ISO8601DateFormatter().string(from: Date())
        do { try AppendFile(path: directory + "/history.jsonl").appendLine("{\"event\": \"\(event)\", \"step\": \(step), \"time\": \"\(time)\"}") } catch {
            throw .storage(error)
        }
    }
}
