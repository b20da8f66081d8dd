import ArgumentParser
import HDF5
import LinearAlgebra

/// The native libraries a command needs before it runs, which the executable
/// loads (or starts loading) before parsing the command line. Each
/// subcommand declares its own; a command not listed needs none of them.
struct NativeLibraries: OptionSet, Sendable {
    let rawValue: Int

    /// libhdf5 (and the ~30 libraries it brings) loaded on another core while the options are parsed.
    /// Not for pack: glibc's dlopen holds the lock that pthread_create needs for a new thread's TLS, so
    /// pack's decoding threads waited for the load (~6 ms); pack starts them first and loads libhdf5
    /// when it creates the output, while they decode.
    static let preloadHDF5 = NativeLibraries(rawValue: 1 << 0)
    /// OpenBLAS, loaded up front so that a missing library is this command's error, not every command's.
    static let blas = NativeLibraries(rawValue: 1 << 1)
    /// OpenBLAS's fast kernels for training-sized products (which may re-execute the program once).
    static let optimizedKernels = NativeLibraries(rawValue: 1 << 2)
}

/// A command that needs native libraries loaded before it runs.
protocol NeedsNativeLibraries {
    static var nativeLibraries: NativeLibraries { get }
}

extension GANPrep {
    /// What the subcommand named first on the command line needs (nothing for --help, --version or no command).
    static func nativeLibraries(forCommand name: String) -> NativeLibraries {
        let command = configuration.subcommands.first { $0.configuration.commandName == name }
        return (command as? NeedsNativeLibraries.Type)?.nativeLibraries ?? []
    }

    /// Loads what `name`'s command needs; OpenBLAS's failure is the command's error.
    static func loadNativeLibraries(forCommand name: String) throws(BLASError) {
        let needs = nativeLibraries(forCommand: name)
        // Before any other thread runs (setenv is not safe beside one) and before OpenBLAS loads.
        if needs.contains(.blas) { BLAS.letIdleThreadsSleep() }
        if needs.contains(.preloadHDF5) { HDF5Runtime.preload() }
        guard needs.contains(.blas) else { return }
        try BLAS.load()
        if needs.contains(.optimizedKernels) { BLAS.preferOptimizedKernels() }
    }
}

extension GANPrep.Train: NeedsNativeLibraries { static let nativeLibraries: NativeLibraries = [.preloadHDF5, .blas, .optimizedKernels] }
extension GANPrep.Sample: NeedsNativeLibraries { static let nativeLibraries: NativeLibraries = [.preloadHDF5, .blas, .optimizedKernels] }
extension GANPrep.Classifier: NeedsNativeLibraries { static let nativeLibraries: NativeLibraries = [.preloadHDF5, .blas] }
extension GANPrep.Eval: NeedsNativeLibraries { static let nativeLibraries: NativeLibraries = [.preloadHDF5, .blas] }
extension GANPrep.Report: NeedsNativeLibraries { static let nativeLibraries: NativeLibraries = [.preloadHDF5, .blas] }
extension GANPrep.Merge: NeedsNativeLibraries { static let nativeLibraries: NativeLibraries = [.preloadHDF5] }
extension GANPrep.Inspect: NeedsNativeLibraries { static let nativeLibraries: NativeLibraries = [.preloadHDF5] }
extension GANPrep.ProbeDataset: NeedsNativeLibraries { static let nativeLibraries: NativeLibraries = [.preloadHDF5] }
