import ArgumentParser
import GAN
import Foundation
import HDF5
import Storage
#if canImport(Glibc)
import Glibc
import LinearAlgebra
#endif

struct GANPrep: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ganprep",
        abstract: "Turn image URL records into a GAN-ready HDF5 dataset, and train a GAN on it.",
        discussion: """
            Three stages, each usable on its own:
              ganprep fetch records.json        download images, write a manifest
              ganprep pack out --out data.h5    decode, resize, normalize, write HDF5
              ganprep merge part-*.h5 --out data.h5   join shards packed with --shard I/N
              ganprep train data.h5 --stream    train a GAN, write sample grids
            And to measure the samples:
              ganprep classifier train data.h5  features from the labels
              ganprep eval run --data data.h5   FID, KID, precision, recall
              ganprep report run                one HTML page about the run
            """,
        version: GANPrep.version,
        subcommands: [Fetch.self, Pack.self, Merge.self, Export.self, Train.self, Inspect.self, Sample.self, Classifier.self, Eval.self, Report.self, ProbeDataset.self])

    /// ganprep's version, reported by `--version`, in the user agent and in the files it writes.
    static let version = "0.1.0"

    /// The default User-Agent: ganprep, its version and what it does.
    static let userAgent = "ganprep/\(version) (image dataset builder)"
}

/// The one place that decides exit codes: 0 success, 2 unusable input or
/// arguments (with a message naming the problem), 1 internal failure.
@main
enum Main {
    static func main() {
        // Each command declares the native libraries it needs (NativeLibraries.swift); the others load none.
        do { try GANPrep.loadNativeLibraries(forCommand: CommandLine.arguments.dropFirst().first ?? "") } catch {
            printError("ganprep: \(error)")
            exit(1)
        }
        do {
            var command = try GANPrep.parseAsRoot()
            try command.run()
            DistributedSession.finish()
            exit(0)
        } catch let error as Interrupted {
            printError("ganprep: \(rankPrefix)\(error.message)")
            DistributedSession.abortIfRunning(code: 128 + error.signal)
            exit(128 + error.signal)
        } catch let error as ClassifiedError {
            // Every library error says whose it is: the one place that turns that into a status.
            let code: Int32 = error.isUsersFault ? 2 : 1
            printError("ganprep: \(rankPrefix)\(error.description)")
            DistributedSession.abortIfRunning(code: code)
            exit(code)
        } catch {
            let code = GANPrep.exitCode(for: error)
            if code == .validationFailure {
                // Usage errors: ArgumentParser's message and help hint, exit 2.
                printError(GANPrep.fullMessage(for: error))
                exit(2)
            }
            DistributedSession.abortIfRunning(code: 1)
            GANPrep.exit(withError: error)
        }
    }

    /// "rank 1: " in a data-parallel run's messages.
    static var rankPrefix: String { DistributedSession.group.map { "rank \($0.rank): " } ?? "" }
}

func printError(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    writeStandardError(line)
}

/// Writes text to standard error unbuffered (file descriptor 2).
func writeStandardError(_ text: String) {
    var bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + offset, $0.count - offset) }
        if n <= 0 { return }
        offset += n
    }
}

/// The cores this process may use, read once: the option defaults that use
/// it are evaluated each time the argument parser builds a command (five
/// times for one `pack`), and each reading goes through the cgroup files.
let availableCores = ProcessInfo.processInfo.activeProcessorCount
