import Distributed
import Foundation
import GAN
import Training

/// The MPI group of a `train` started by mpirun or srun, started only then:
/// a plain `ganprep train` never initialises MPI. The executable ends it:
/// `finish()` after success, `abort` after a failure on any process, so no
/// process is left waiting in a collective call.
enum DistributedSession {
    nonisolated(unsafe) static var group: MPIGroup?

    /// Starts MPI when a launcher started more than one process; nil otherwise.
    static func startIfLaunched() throws -> MPIGroup? {
        guard MPIGroup.launched() else { return nil }
        if let tasks = MPIGroup.srunWithoutPMIx() {
            throw UserInputError(message: "srun started \(tasks) tasks without PMIx (SLURM_MPI_TYPE=\(ProcessInfo.processInfo.environment["SLURM_MPI_TYPE"] ?? "none")), "
                                 + "so each would train alone: start them with srun --mpi=pmix (or set MpiDefault=pmix in slurm.conf)")
        }
        do { group = try MPIGroup() } catch { throw InternalFailure(message: "cannot start MPI: \(error)") }
        return group
    }

    /// BLAS threads per process when --threads is not given: the cores,
    /// shared among the launcher's processes on this machine.
    static func defaultThreads(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        let cores = availableCores
        let local = ["OMPI_COMM_WORLD_LOCAL_SIZE", "MPI_LOCALNRANKS", "SLURM_NTASKS_PER_NODE"].lazy.compactMap { environment[$0].flatMap(Int.init) }.first ?? 1
        return max(1, cores / max(1, local))
    }

    static func finish() { group?.finish() }

    /// Ends every process of the group with `code` (after the message was printed).
    static func abortIfRunning(code: Int32) {
        if let group { group.abort(code: code) }
    }

    /// Test hooks (hidden options): each process's state digest, and the
    /// first step's summed gradients.
    static func writeDigest(of run: TrainingRun, into directory: String) throws {
        let rank = run.replicas?.rank ?? 0
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try (run.trainer.stateDigest() + "\n").write(toFile: directory + "/rank-\(rank).sha256", atomically: true, encoding: .utf8)
    }

    static func gradientWriter(to path: String, rank: Int) -> (GANTrainer) -> Void {
        { trainer in
            guard rank == 0 else { return }
            let tensors = (trainer.models.generator.parameters + trainer.models.discriminator.parameters).map { (name: $0.name, tensor: $0.gradient) }
            do { try TensorStore.save(tensors, attributes: [:], to: path) } catch { printError("cannot write \(path): \(error)") }
        }
    }
}
