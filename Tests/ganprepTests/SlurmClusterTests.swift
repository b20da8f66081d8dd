import Foundation
import Testing
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The README's cluster section under a real one-node Slurm (slurmctld,
/// slurmd and MUNGE started by `tests/cluster/slurm-up.sh` in a folder of
/// their own): `examples/slurm/*.sbatch` as they are, the scale given on
/// sbatch's command line, the results held to one process's.
@Suite(.serialized) struct SlurmClusterTests {
    /// A running cluster: the folder it lives in and the environment its clients and jobs need.
    final class Cluster {
        let directory: URL
        let environment: [String: String]

        init(_ directory: URL) throws {
            self.directory = directory
            let up = try ProcessRunner.run("/usr/bin/timeout", ["120", "bash", Self.script("slurm-up.sh"), directory.path])
            guard up.status == 0, let line = up.stdout.split(separator: "\n").first(where: { $0.hasPrefix("export SLURM_CONF=") }) else {
                _ = try? ProcessRunner.run("/bin/bash", [Self.script("slurm-down.sh"), directory.path])
                throw ClusterUnavailable(reason: "tests/cluster/slurm-up.sh exited \(up.status): \(up.stderr)")
            }
            let path = ProcessRunner.productsDirectory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            environment = ["SLURM_CONF": String(line.dropFirst("export SLURM_CONF=".count)), "PATH": path]
        }

        deinit { _ = try? ProcessRunner.run("/bin/bash", [Self.script("slurm-down.sh"), directory.path]) }

        static func script(_ name: String) -> String { TestPaths.repositoryRoot.appendingPathComponent("tests/cluster/\(name)").path }
        static func example(_ name: String) -> String { TestPaths.repositoryRoot.appendingPathComponent("examples/slurm/\(name)").path }

        /// A Slurm client command (sbatch, srun, scancel, squeue) with the cluster's environment and `extra`, under a timeout.
        func run(_ command: String, _ arguments: [String], _ extra: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
            try ProcessRunner.run("/usr/bin/timeout", ["180", command] + arguments, environment: environment.merging(extra) { $1 })
        }

        /// Waits until job `id` (every task of it) has left the queue.
        func waitForJob(_ id: String) throws {
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                let queued = try run("squeue", ["-h", "-j", id, "-o", "%i"])
                if queued.status == 0 && queued.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return }
                usleep(200_000)
            }
            Issue.record("job \(id) still queued after 120 s")
        }
    }

    struct ClusterUnavailable: Error, CustomStringConvertible {
        var reason: String
        var description: String { "no Slurm cluster for the test: \(reason)" }
    }

    @Test func theREADMEShowsTheExamplesAsTheyAre() throws {
        let readme = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for name in ["fetch.sbatch", "pack.sbatch", "merge.sbatch", "train.sbatch"] {
            let text = try String(contentsOfFile: Cluster.example(name), encoding: .utf8)
            #expect(readme.contains("`examples/slurm/\(name)`:\n\n```sh\n" + text + "```"), "README's \(name) differs from examples/slurm/\(name)")
        }
    }

    @Test func theREADMEsJobsRunUnderSlurmAsOneProcessWould() throws {
        let scratch = try TestPaths.temporaryDirectory("slurm")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let cluster = try Cluster(scratch.appendingPathComponent("cluster"))
        let server = try CommandFixtures.imageServer()
        defer { server.stop() }
        // 66 records: every eleventh a 404, the rest answered after a delay that grows with
        // the index, so a task's records complete one by one over about four seconds.
        let records = scratch.appendingPathComponent("records.json")
        try CommandFixtures.writeRecords((0..<66).map { $0 % 11 == 10 ? server.baseURL + "/missing/\($0)" : server.baseURL + "/delay/\(200 * ($0 / 3))/\($0)" },
                                         to: records)
        let reference = scratch.appendingPathComponent("reference")
        #expect(try runGANPrep(["fetch", records.path, "--out", reference.path, "--quiet"]).status == 0)
        #expect(try runGANPrep(["pack", reference.path, "--out", scratch.appendingPathComponent("reference.h5").path, "--size", "32", "--quiet"]).status == 0)
        let firstRequests = server.requestedPaths.count

        let shared = scratch.appendingPathComponent("shared")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        let jobs: [String: String] = ["RECORDS": records.path, "SHARED": shared.path, "SIZE": "32"]
        let logs = ["--output", scratch.path + "/%x-%A_%a.out"]
        try fetchWithACancelledTask(cluster, jobs: jobs, logs: logs, shared: shared, server: server, after: firstRequests)
        #expect(try CommandFixtures.manifestLines(shared.appendingPathComponent("fetched")) == CommandFixtures.manifestLines(reference), "every record's status, as one process fetched it")

        for (name, scale) in [("pack.sbatch", ["--array=0-2"]), ("merge.sbatch", [])] {
            let job = try cluster.run("sbatch", ["--wait"] + logs + scale + [Cluster.example(name)], jobs)
            #expect(job.status == 0, "\(name): \(job.stderr) \((try? logOf(name, in: scratch)) ?? "")")
        }
        let same = try ProcessRunner.run("/usr/bin/python3", ["-c", """
            import h5py, sys, numpy as np
            def rows(path):
                f = h5py.File(path, "r")
                return sorted((d.decode() if isinstance(d, bytes) else d, f["images"][i].tobytes()) for i, d in enumerate(f["descriptions"][:]))
            a, b = rows(sys.argv[1]), rows(sys.argv[2])
            print(len(a), len(b), a == b)
            """, shared.appendingPathComponent("dataset.h5").path, scratch.appendingPathComponent("reference.h5").path])
        #expect(same.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "60 60 True", "merged against one pack: \(same.stdout) \(same.stderr)")

        try trainWithPMIx(cluster, jobs: jobs, logs: logs, scratch: scratch)
    }

    /// The fetch array, task 1 cancelled while its records arrive; the same array submitted
    /// again completes it, and no record that was complete is requested again.
    func fetchWithACancelledTask(_ cluster: Cluster, jobs: [String: String], logs: [String], shared: URL, server: TestHTTPServer, after first: Int) throws {
        let submitted = try cluster.run("sbatch", ["--parsable", "--array=0-2"] + logs + [Cluster.example("fetch.sbatch")], jobs)
        let id = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(submitted.status == 0 && !id.isEmpty, "\(submitted.stderr)")
        let part = shared.appendingPathComponent("fetched/manifest.part-1-of-3.jsonl")
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, ((try? String(contentsOf: part, encoding: .utf8)) ?? "").split(separator: "\n").count < 5 { usleep(20_000) }
        let cancelled = try cluster.run("scancel", ["\(id)_1"])
        #expect(cancelled.status == 0, "\(cancelled.stderr)")
        try cluster.waitForJob(id)
        let before = try String(contentsOf: part, encoding: .utf8).split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["url"] as? String
        }
        #expect(before.count >= 5 && before.count < 22, "task 1 was cancelled after \(before.count) of its 22 records")

        let again = try cluster.run("sbatch", ["--wait", "--array=0-2"] + logs + [Cluster.example("fetch.sbatch")], jobs)
        #expect(again.status == 0, "\(again.stderr)")
        let requests = Dictionary(server.requestedPaths.dropFirst(first).map { ($0, 1) }, uniquingKeysWith: +)
        let repeated = before.compactMap { URL(string: $0)?.path }.filter { (requests[$0] ?? 0) != 1 }
        #expect(repeated.isEmpty, "complete before the cancel, requested again (or never): \(repeated)")
        #expect(requests.count == 66, "\(requests.count) distinct records requested by the jobs")
    }

    /// `srun --mpi=pmix` of two tasks trains as mpirun's two processes do: identical weights,
    /// the one-process gradient; `srun` without PMIx is refused with the way out.
    func trainWithPMIx(_ cluster: Cluster, jobs: [String: String], logs: [String], scratch: URL) throws {
        let data = scratch.appendingPathComponent("shared/dataset.h5").path
        let flags = "--model mlp --steps 3 --threads 1 --sync-batch-norm --quiet --gradients-out \(scratch.path)/two.h5 --replica-digests \(scratch.path)/digests"
        let job = try cluster.run("sbatch", ["--wait", "--nodes=1", "--ntasks-per-node=2"] + logs + [Cluster.example("train.sbatch")],
                                  jobs.merging(["BATCH": "32", "TRAIN_FLAGS": flags]) { $1 })
        #expect(job.status == 0, "\(job.stderr) \((try? logOf("train.sbatch", in: scratch)) ?? "")")
        let digests = try (0..<2).map { try String(contentsOfFile: "\(scratch.path)/digests/rank-\($0).sha256", encoding: .utf8) }
        #expect(digests[0] == digests[1] && digests[0].count == 65, "\(digests)")
        let one = try runGANPrep(["train", data, "--model", "mlp", "--steps", "3", "--threads", "1", "--batch", "32", "--stream", "--quiet",
                                  "--out", scratch.path + "/one", "--gradients-out", scratch.path + "/one.h5"])
        #expect(one.status == 0, "\(one.stderr)")
        let compared = try ProcessRunner.run("/usr/bin/python3", ["-c", """
            import h5py, sys, numpy as np
            a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
            names = []
            a.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
            worst = max(float(np.abs(a[n][...] - b[n][...]).max() / max(np.abs(a[n][...]).max(), 1e-12)) for n in names)
            print(len(names), "ok" if worst < 1e-4 else f"worst {worst}")
            """, scratch.path + "/one.h5", scratch.path + "/two.h5"])
        #expect(compared.stdout.hasSuffix("ok\n") && !compared.stdout.hasPrefix("0 "), "the first step's gradient over two tasks: \(compared.stdout) \(compared.stderr)")

        let plain = try cluster.run("srun", ["-n", "2", "ganprep", "train", data, "--model", "mlp", "--steps", "1", "--out", scratch.path + "/plain"])
        #expect(plain.status == 2 && plain.stderr.contains("srun --mpi=pmix"), "\(plain.status) \(plain.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/plain/losses.csv"))
    }

    /// The Slurm log of the jobs named by `script`, for failure messages.
    func logOf(_ script: String, in directory: URL) throws -> String {
        let name = "ganprep-" + script.replacingOccurrences(of: ".sbatch", with: "")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(name) }.sorted()
            .map { (try? String(contentsOfFile: directory.appendingPathComponent($0).path, encoding: .utf8)) ?? "" }.joined(separator: "\n")
    }
}
