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

    @Test func anArrayTasksShareIsItsPlaceInTheArraysRange() throws {
        func share(_ id: Int, count: Int, min: Int, step: Int?) throws -> Int? {
            var environment = ["SLURM_ARRAY_TASK_ID": "\(id)", "SLURM_ARRAY_TASK_COUNT": "\(count)", "SLURM_ARRAY_TASK_MIN": "\(min)"]
            environment["SLURM_ARRAY_TASK_STEP"] = step.map(String.init)
            return try Shard.fromEnvironment(environment)?.index
        }
        // --array=0-30:2 has 16 tasks 0, 2, ..., 30: each takes one share of 16, every share taken once.
        #expect(try (0...15).map { try share(2 * $0, count: 16, min: 0, step: 2) } == Array(0...15))
        #expect(try share(7, count: 4, min: 4, step: nil) == 3)
        // An array of one task (a resubmitted --array=3) is the whole input.
        #expect(try share(3, count: 1, min: 3, step: 1) == nil)
        // Ids that are not the range (--array=1,4,9 has min 1, step 1, count 3) are refused with the way out.
        #expect(throws: ShardError.arrayNotARange(id: 9, minimum: 1, step: 1, count: 3)) { try share(9, count: 3, min: 1, step: 1) }
        #expect(throws: ShardError.arrayNotARange(id: 3, minimum: 0, step: 2, count: 4)) { try share(3, count: 4, min: 0, step: 2) }
        // A Slurm that does not say the array's size: refused, never the whole input for every task.
        let noCount = ShardError.arrayWithoutCount(taskID: "2")
        #expect(throws: noCount) { try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "2"]) }
        #expect(noCount.description.contains("--shard"))
        #expect(throws: ShardError.notANumber(variable: "SLURM_ARRAY_TASK_STEP", value: "x")) {
            try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "3", "SLURM_ARRAY_TASK_STEP": "x"])
        }
    }
}
