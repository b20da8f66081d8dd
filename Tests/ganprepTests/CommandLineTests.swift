import Foundation
import Testing
import _TestSupport

/// Runs the built `ganprep` binary, as a user would.
func runGANPrep(_ arguments: [String], stdin: Data? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    try ProcessRunner.ganprep(arguments, stdin: stdin)
}

let productsDirectory = ProcessRunner.productsDirectory

@Suite struct CommandLineTests {
    @Test func helpListsTheThreeStagesWithDescriptions() throws {
        let result = try runGANPrep(["--help"])
        #expect(result.status == 0)
        for stage in ["fetch", "pack", "train"] {
            #expect(result.stdout.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix(stage + " ") },
                    "--help does not list \(stage):\n\(result.stdout)")
        }
    }

    @Test func versionPrintsTheVersion() throws {
        let result = try runGANPrep(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".").count == 3)
    }
}
