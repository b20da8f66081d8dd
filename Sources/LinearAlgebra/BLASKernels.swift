import COpenBLAS
import Foundation

extension BLAS {
    /// The kernel family OpenBLAS chose at load time ("SkylakeX", "Haswell", "Prescott").
    public static var coreName: String { String(cString: gp_openblas_get_corename()) }

    /// OpenBLAS's idle worker threads spin (yielding) for 2^28 cycles, about
    /// 0.1 s, after each product before they sleep. Between the products of a
    /// training step run the passes ganprep spreads over the same threads
    /// itself (im2col, BatchNorm, activations, Adam's update), and on a
    /// machine where every core runs one of those threads the spinning worker
    /// takes a core from them: the DCGAN step at two threads was 7-10% slower
    /// (`benchmarks/README.md`). This sets `OPENBLAS_THREAD_TIMEOUT` to 20
    /// (2^20 cycles, well under a millisecond: products in a row still find
    /// the workers awake) unless it is set already. OpenBLAS reads it when it
    /// loads: call this first, while no other thread runs.
    public static func letIdleThreadsSleep() {
        setenv("OPENBLAS_THREAD_TIMEOUT", "20", 0)
    }

    /// Older OpenBLAS builds (Debian 12's 0.3.21) do not recognise newer CPUs
    /// (Sapphire Rapids among them) and fall back to their generic "Prescott"
    /// kernels, 3-4x slower at sgemm. OpenBLAS reads `OPENBLAS_CORETYPE` only
    /// when it is loaded, so when the CPU has AVX-512 (or AVX2) but OpenBLAS
    /// chose a generic core, this sets the variable and re-executes the
    /// program once. A variable the user or machine already set is respected.
    /// Returns only when no re-execution was needed or possible.
    public static func preferOptimizedKernels() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil, environment["GANPREP_BLAS_REEXEC"] == nil else { return }
        let generic = ["prescott", "core2", "katmai", "coppermine", "northwood", "banias", "unknown"]
        guard generic.contains(coreName.lowercased()) else { return }
        let core: String
        if gp_cpu_has_avx512() != 0 { core = "SKYLAKEX" } else if gp_cpu_has_avx2() != 0 { core = "HASWELL" } else { return }
        setenv("OPENBLAS_CORETYPE", core, 1)
        setenv("GANPREP_BLAS_REEXEC", "1", 1)
        var argv: [UnsafeMutablePointer<CChar>?] = CommandLine.arguments.map { strdup($0) }
        argv.append(nil)
        execv("/proc/self/exe", &argv)
        // execv returned: carry on with the generic kernels.
        unsetenv("GANPREP_BLAS_REEXEC")
    }
}
