import Records
import Testing

@Suite struct ShardTests {
    @Test func everyIndexBelongsToExactlyOneShard() throws {
        for count in 1...7 {
            let shards = try (0..<count).map { try Shard(index: $0, count: count) }
            for index in 0..<100 {
                #expect(shards.filter { $0.contains(index) }.count == 1, "record \(index) of \(count) shards")
            }
        }
    }

    @Test func parsesAndRefusesTheOption() throws {
        #expect(try Shard(parsing: "2/4") == Shard(index: 2, count: 4))
        #expect(try Shard(parsing: "2/4").tag == "part-2-of-4")
        for bad in ["4/4", "-1/3", "1", "a/b", "1/0", "1/2/3", ""] {
            #expect(throws: ShardError.self, "\(bad)") { try Shard(parsing: bad) }
        }
    }

    @Test func launchersSayWhichShardAProcessIs() throws {
        let ompi = try #require(try Shard.fromEnvironment(["OMPI_COMM_WORLD_RANK": "1", "OMPI_COMM_WORLD_SIZE": "3", "SLURM_PROCID": "0", "SLURM_NTASKS": "5"]))
        #expect(ompi.index == 1 && ompi.count == 3 && ompi.source == "OMPI_COMM_WORLD_RANK/OMPI_COMM_WORLD_SIZE")
        let pmi = try #require(try Shard.fromEnvironment(["PMI_RANK": "3", "PMI_SIZE": "4"]))
        #expect(pmi.index == 3 && pmi.count == 4)
        let srun = try #require(try Shard.fromEnvironment(["SLURM_PROCID": "2", "SLURM_STEP_NUM_TASKS": "5", "SLURM_NTASKS": "5"]))
        #expect(srun.index == 2 && srun.count == 5)
        // A batch script run without srun has SLURM_PROCID=0 and the job's SLURM_NTASKS: the whole input.
        #expect(try Shard.fromEnvironment(["SLURM_PROCID": "0", "SLURM_NTASKS": "4"]) == nil)
        // A job array numbered from 1: the task's share counts from the array's first task.
        let array = try #require(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "4", "SLURM_ARRAY_TASK_COUNT": "4", "SLURM_ARRAY_TASK_MIN": "1",
                                                              "SLURM_PROCID": "0", "SLURM_STEP_NUM_TASKS": "1"]))
        #expect(array.index == 3 && array.count == 4 && array.source == "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT")
        // One process, or no launcher: the whole input.
        #expect(try Shard.fromEnvironment(["OMPI_COMM_WORLD_RANK": "0", "OMPI_COMM_WORLD_SIZE": "1"]) == nil)
        #expect(try Shard.fromEnvironment([:]) == nil)
        #expect(try Shard.resolve(option: nil, environment: [:]).isWhole)
        // The option wins over the launcher.
        #expect(try Shard.resolve(option: "0/2", environment: ["PMI_RANK": "3", "PMI_SIZE": "4"]) == Shard(index: 0, count: 2))
        #expect(throws: ShardError.self) { try Shard.fromEnvironment(["PMI_RANK": "x", "PMI_SIZE": "4"]) }
        #expect(throws: ShardError.self) { try Shard.fromEnvironment(["PMI_RANK": "4", "PMI_SIZE": "4"]) }
    }
}
