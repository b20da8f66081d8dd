import ArgumentParser

/// A stage whose issue has not landed yet: a clear message and exit code 1.
struct NotImplementedYet: Error, CustomStringConvertible {
    let stage: String
    var description: String { "ganprep \(stage): not implemented yet" }
}
