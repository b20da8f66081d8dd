import Foundation
import Testing
import _TestSupport

/// Runs the built `ganprep` binary, as a user would.
func runGANPrep(_ arguments: [String], stdin: Data? = nil, currentDirectory: URL? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
    let binary = productsDirectory.appendingPathComponent("ganprep")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    // Output goes to files, so a chatty child can never block on a full pipe.
    let scratch = try TestPaths.temporaryDirectory("ganprep-cli")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
    let input = Pipe()
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(stdin) }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

/// The folder that holds the built products (the test bundle's parent).
let productsDirectory: URL = {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    while !FileManager.default.fileExists(atPath: url.appendingPathComponent("ganprep").path), url.path != "/" {
        url.deleteLastPathComponent()
    }
    return url
}()

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
