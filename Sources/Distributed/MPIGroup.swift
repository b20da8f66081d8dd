import CMPI
import Foundation
import GAN

/// The processes an MPI launcher (mpirun, srun) started, as a `ReplicaGroup`
/// over `MPI_COMM_WORLD`: sums are `MPI_Allreduce` in place.
///
/// Only the thread that created the group calls MPI (MPI_THREAD_FUNNELED).
/// `finish()` must end a successful run and `abort(code:)` a failed one, so
/// that no member waits forever on a member that left. A collective call
/// that fails is recorded in `failure` (the caller stops the run); this
/// library never ends the process itself.
public final class MPIGroup: ReplicaGroup {
    /// This process in MPI_COMM_WORLD.
    public let rank: Int
    /// Processes in MPI_COMM_WORLD.
    public let size: Int
    private var finished = false
    /// The first collective call that failed, with MPI's message.
    public private(set) var failure: String?
    /// Collective calls made so far, and the seconds spent in them (waiting for other members included).
    public private(set) var calls = 0
    /// Seconds spent in collective calls (waiting for the other members included).
    public private(set) var seconds = 0.0

    /// Whether this process was started by an MPI launcher with more than
    /// one process (Open MPI's, PMI's or PMIx's variables, or an `srun` step
    /// of several tasks, say so).
    public static func launched(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        for name in ["OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE", "SLURM_STEP_NUM_TASKS"] {
            if let text = environment[name], let n = Int(text), n > 1 { return true }
        }
        return false
    }

    /// The task count of an `srun` step that gave its tasks no process
    /// management interface Open MPI can join (`srun` without `--mpi=pmix`
    /// where slurm.conf's `MpiDefault` is none): every task would start MPI
    /// alone, as a group of one. nil when the launcher is not such a step.
    public static func srunWithoutPMIx(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        guard let text = environment["SLURM_STEP_NUM_TASKS"], let tasks = Int(text), tasks > 1 else { return nil }
        let joined = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"].contains { environment[$0] != nil }
        return joined ? nil : tasks
    }

    /// Initialises MPI (once per process).
    ///
    /// A member waiting in a collective call yields its core instead of
    /// spinning (Open MPI's `mpi_yield_when_idle`, read from the environment
    /// at initialisation; a value the user set wins). Each member's core is
    /// shared with its own threads, the streaming reader's above all: a member
    /// spinning while it waits took the core from the reader that would have
    /// had its next batch ready. On 2 cores, 13 interleaved pairs of 2-member
    /// runs: 63.0 against 61.0 images/s (medians), faster in 8 of the 13: a
    /// small gain inside this machine's spread (benchmarks/README.md, scale).
    public init() throws(MPIError) {
        setenv("OMPI_MCA_mpi_yield_when_idle", "1", 0)
        if let failure = gp_mpi_load() { throw MPIError(message: String(cString: failure)) }
        try Self.check(gp_mpi_init_funneled(), "MPI_Init_thread")
        var r: Int32 = 0, s: Int32 = 0
        try Self.check(gp_mpi_rank(&r), "MPI_Comm_rank")
        try Self.check(gp_mpi_size(&s), "MPI_Comm_size")
        rank = Int(r)
        size = Int(s)
    }

    /// MPI_Allreduce with MPI_SUM in place, in pieces of at most 2^28 values.
    public func sum(_ values: UnsafeMutableBufferPointer<Float>) {
        allreduce(values, call: gp_mpi_sum_floats)
    }

    /// MPI_Allreduce with MPI_SUM in place, in pieces of at most 2^28 values.
    public func sum(_ values: UnsafeMutableBufferPointer<Double>) {
        allreduce(values, call: gp_mpi_sum_doubles)
    }

    private func allreduce<T>(_ values: UnsafeMutableBufferPointer<T>, call: (UnsafeMutablePointer<T>?, Int32) -> Int32) {
        let start = gp_mpi_wtime()
        defer { calls += 1; seconds += gp_mpi_wtime() - start }
        var done = 0
        // MPI counts are Int32: large buffers go in pieces.
        while done < values.count {
            let n = min(values.count - done, Int(Int32.max) / 8)
            let rc = call(values.baseAddress! + done, Int32(n))
            if rc != Int32(GP_MPI_SUCCESS) { return fail("MPI_Allreduce", rc) }
            done += n
        }
    }

    /// MPI_Bcast from `root` in place.
    public func broadcast(_ values: UnsafeMutableBufferPointer<Float>, from root: Int) {
        var done = 0
        while done < values.count {
            let n = min(values.count - done, Int(Int32.max) / 8)
            let rc = gp_mpi_broadcast_floats(values.baseAddress! + done, Int32(n), Int32(root))
            if rc != Int32(GP_MPI_SUCCESS) { return fail("MPI_Bcast", rc) }
            done += n
        }
    }

    /// MPI_Allgather of every member's bytes (all of the same count).
    public func gather(_ bytes: [UInt8]) -> [[UInt8]] {
        var all = [UInt8](repeating: 0, count: bytes.count * size)
        let rc = bytes.withUnsafeBytes { mine in
            all.withUnsafeMutableBytes { out in
                gp_mpi_gather_bytes(mine.baseAddress, Int32(bytes.count), out.baseAddress)
            }
        }
        if rc != Int32(GP_MPI_SUCCESS) { fail("MPI_Allgather", rc) }
        return (0..<size).map { Array(all[($0 * bytes.count)..<(($0 + 1) * bytes.count)]) }
    }

    /// Waits for every member, then ends MPI: the end of a successful run.
    public func finish() {
        guard !finished else { return }
        finished = true
        _ = gp_mpi_barrier()
        _ = gp_mpi_finalize()
    }

    /// Asks MPI to end every member's process with `code` (MPI_Abort): a
    /// member that failed must not leave the others waiting in a collective
    /// call. MPI normally ends this process too; the executable exits if it returns.
    public func abort(code: Int32) {
        _ = gp_mpi_abort(code)
    }

    /// A collective call failed (MPI's default handler usually aborts first): the first one is kept.
    private func fail(_ call: String, _ rc: Int32) {
        if failure == nil { failure = "rank \(rank): \(call) failed: \(Self.message(rc))" }
    }

    private static func check(_ rc: Int32, _ call: String) throws(MPIError) {
        if rc != Int32(GP_MPI_SUCCESS) { throw MPIError(message: "\(call) failed: \(message(rc))") }
    }

    private static func message(_ rc: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        gp_mpi_error_string(rc, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// MPI could not start.
public struct MPIError: Error, CustomStringConvertible {
    /// Why: MPI's or the loader's words.
    public let message: String
    /// The message a user reads: what went wrong, and where.
    public var description: String { message }
}
