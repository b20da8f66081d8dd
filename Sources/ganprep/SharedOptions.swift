import ArgumentParser

/// `--quiet`, shared by the commands that print progress.
struct QuietOption: ParsableArguments {
    @Flag(help: "Print only the summary.")
    var quiet = false
}

/// `--seed`, shared by the commands that draw anything at random.
struct SeedOption: ParsableArguments {
    @Option(help: "Seed for everything the command draws at random (weights, noise, order, samples): the same seed, the same result.")
    var seed: UInt64 = 0
}

/// `--threads` of the commands whose matrix products and passes between them use all cores unless told.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Threads for the matrix products and the passes between them (default: all cores).")
    var threads: Int = availableCores

    func validate() throws {
        try OptionChecks.integer("--threads", threads, in: 1...256)
    }
}

/// `--shard I/N` of fetch and pack: one process's share of the work.
struct ShardSelection: ParsableArguments {
    @Option(help: ArgumentHelp("Process only share I of N: fetch takes the records whose index modulo N is I (writing manifest.part-I-of-N.jsonl; shards may share one --out), pack a folder's files by sorted position (joined by `ganprep merge`; {shard} in --out is replaced by I). Under mpirun, srun or a Slurm array the share comes from the launcher.", valueName: "I/N"))
    var shard: String?
}
