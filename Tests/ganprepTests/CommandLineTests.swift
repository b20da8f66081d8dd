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

    /// The libraries the dynamic loader loaded for a run (its LD_DEBUG=files report).
    func loadedLibraries(_ arguments: [String]) throws -> (status: Int32, libraries: String) {
        let result = try ProcessRunner.run(productsDirectory.appendingPathComponent("ganprep").path, arguments,
                                           environment: ["LD_DEBUG": "files"])
        let names = result.stderr.split(separator: "\n").filter { $0.contains("file=") }.joined(separator: "\n")
        return (result.status, names)
    }

    @Test func openBLASAndOpenMPIAreLoadedOnlyByTheCommandsThatUseThem() throws {
        let folder = try TestPaths.temporaryDirectory("lazy-libraries")
        defer { try? FileManager.default.removeItem(at: folder) }
        let pack = try loadedLibraries(["pack", TestPaths.fixture("images").path, "--out", folder.appendingPathComponent("d.h5").path,
                                        "--size", "16", "--quiet"])
        #expect(pack.status == 0)
        #expect(pack.libraries.contains("libhdf5") && pack.libraries.contains("libjpeg"), "no loader report:\n\(pack.libraries)")
        #expect(!pack.libraries.contains("libopenblas") && !pack.libraries.contains("libmpi"), "\(pack.libraries)")
        // A command with linear algebra loads OpenBLAS (and without mpirun, still no Open MPI).
        let eval = try loadedLibraries(["eval", "--help"])
        #expect(eval.status == 0 && eval.libraries.contains("libopenblas") && !eval.libraries.contains("libmpi"), "\(eval.libraries)")
    }

    /// Every enumerated option lists its choices in --help, and a value
    /// outside them exits 2 naming them.
    @Test(arguments: [
        ("pack", "--resize-mode", ["center-crop", "pad", "stretch"]),
        ("pack", "--channel-order", ["rgb", "bgr"]),
        ("pack", "--layout", ["ganprep", "gapcv"]),
        ("pack", "--compression", ["none", "gzip", "gzip:1", "gzip:9"]),
        ("train", "--model", ["mlp", "dcgan"]),
        ("fetch", "--format", ["json", "jsonl", "csv"]),
    ])
    func enumeratedOptionsListTheirChoices(command: String, option: String, choices: [String]) throws {
        let help = try runGANPrep([command, "--help"])
        #expect(help.status == 0)
        // The option's entry: from its name to the next option.
        let entry = help.stdout.components(separatedBy: "  " + option + " ").dropFirst().first?.components(separatedBy: "\n  --").first ?? ""
        let unwrapped = entry.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(unwrapped.contains("values: "), "\(option): \(entry)")
        for choice in choices { #expect(unwrapped.contains(choice), "\(option) does not list \(choice): \(entry)") }
        let refused = try runGANPrep([command, "input", option, "no-such-choice"])
        #expect(refused.status == 2 && refused.stderr.contains(option) && refused.stderr.contains(choices[1]), "\(refused.stderr)")
    }
}
