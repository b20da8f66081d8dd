import ArgumentParser
import DatasetFile
import Foundation
import Synchronization
import Training
#if canImport(Glibc)
import Glibc
#endif

/// Opens a dataset file (or a checkpoint, for `sample`) in a child process
/// before this process touches it.
///
/// Debian 12's libhdf5 1.10.8 dereferences bad pointers on some damaged
/// files (the dataset fuzzer finds them within minutes; they are fixed in
/// later libhdf5 releases). Whatever libhdf5 does in the child, this process
/// sees an exit status: a crash becomes an error that names the file, and
/// the child's memory and time are bounded, for libhdf5 also allocates
/// gigabytes or loops without end on some of them.
enum DatasetProbe {
    /// Runs `ganprep probe-dataset PATH` (with `--checkpoint` for a
    /// checkpoint); throws `UserInputError` when the file is refused or the
    /// child dies.
    static func check(_ path: String, checkpoint: Bool = false) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                                    ?? CommandLine.arguments[0])
        process.arguments = [GANPrep.ProbeDataset.configuration.commandName ?? "probe-dataset", path] + (checkpoint ? ["--checkpoint"] : [])
        // A crash is expected here now and then: no backtrace, just the status.
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw InternalFailure(message: "cannot start a process to open \(path): \(error.localizedDescription)")
        }
        // libhdf5 also loops without end on some damaged files: the child gets a deadline.
        let seconds = ProcessInfo.processInfo.environment["GANPREP_PROBE_SECONDS"].flatMap(Double.init) ?? 120
        let expired = ExpiryFlag()
        let watchdog = DispatchWorkItem { [process] in
            if process.isRunning {
                expired.set()
                kill(process.processIdentifier, SIGKILL)
            }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: watchdog)
        let message = String(decoding: (try? errors.fileHandleForReading.readToEnd()) ?? Data(), as: UTF8.self)
        process.waitUntilExit()
        watchdog.cancel()
        if expired.isSet {
            throw UserInputError(message: "\(path): a damaged HDF5 file: libhdf5 did not finish opening it in \(Int(seconds)) s")
        }
        switch (process.terminationReason, process.terminationStatus) {
        case (.exit, 0): return
        case (.exit, _):
            let text = message.trimmingCharacters(in: .whitespacesAndNewlines)
            throw UserInputError(message: text.hasPrefix("ganprep: ") ? String(text.dropFirst(9)) : "\(path): \(text)")
        case (_, SIGILL), (_, SIGTRAP):
            // A Swift runtime trap: ganprep's own bug, not the file's.
            throw InternalFailure(message: "\(path): ganprep stopped on a trap while reading it (signal \(process.terminationStatus)); this is a bug in ganprep")
        default:
            throw UserInputError(message: "\(path): a damaged HDF5 file: libhdf5 crashed reading it (signal \(process.terminationStatus))")
        }
    }
}

/// Set once by the watchdog when the child ran out of time.
private final class ExpiryFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .releasing) }
    var isSet: Bool { value.load(ordering: .acquiring) }
}

extension GANPrep {
    /// The child side of `DatasetProbe`: opens the file and reads what
    /// every command reads first (attributes, descriptions, the first and
    /// last chunk of images). Not listed in --help.
    struct ProbeDataset: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "probe-dataset", abstract: "Open a dataset file as train and inspect do (used in a child process).",
            shouldDisplay: false)

        @Argument var file: String

        @Flag(help: "The file is a training checkpoint: rebuild its generator and draw one sample, as sample does.")
        var checkpoint = false

        /// Address space of the child: libhdf5 allocates whatever a damaged
        /// variable-length element claims (gigabytes); here that fails instead.
        static let addressSpaceLimit: rlim_t = 6 << 30

        func run() throws {
            var limit = rlimit(rlim_cur: Self.addressSpaceLimit, rlim_max: Self.addressSpaceLimit)
            _ = setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
            do {
                if checkpoint {
                    _ = try CheckpointSampler.grid(checkpoint: file, count: 1, seed: 0)
                } else {
                    try DatasetReader(path: file).readSample()
                }
            } catch let error as DatasetError {
                throw UserInputError(message: error.description)
            } catch {
                throw UserInputError(message: "\(error)")
            }
        }
    }
}
