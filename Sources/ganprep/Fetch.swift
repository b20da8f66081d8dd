import ArgumentParser

extension GANPrep {
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download the images of a records file (JSON, JSON Lines or CSV) with a manifest of every record's fate.")

        @Argument(help: "The records file: a JSON array of {\"url\", \"description\"} objects, JSON Lines, or CSV; - for standard input.")
        var records: String

        func run() throws {
            throw NotImplementedYet(stage: "fetch")
        }
    }
}
