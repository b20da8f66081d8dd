import Foundation
import GAN
import Storage

/// `history.jsonl` in a run directory: a line per start and resume (the
/// step it continued after, the time and the recipe's values), so a report can tell how the run went.
enum RunHistory {
    static func append(event: String, step: Int, recipe: TrainingRecipe, in directory: String) throws(TrainingError) {
        let time = ISO8601DateFormatter().string(from: Date())
        let line = "{\"event\": \"\(event)\", \"step\": \(step), \"time\": \"\(time)\", \"recipe\": \(quoted(recipe.summary))}"
        do { try AppendFile(path: directory + "/history.jsonl").appendLine(line) } catch {
            throw .storage(error)
        }
    }

    /// `text` as a JSON string (Foundation's encoder: quotes, backslashes and control characters escaped).
    static func quoted(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }
}
