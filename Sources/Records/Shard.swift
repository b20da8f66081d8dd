import Storage
/// A deterministic share of the records for one of N processes: the
/// records whose index `i` has `i % count == index`, whatever the machine,
/// so every record belongs to exactly one shard.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// This shard, from 0.
    public let index: Int
    /// Shards in all.
    public let count: Int
    /// Where the share came from: "--shard", or the launcher's variables
    /// ("OMPI_COMM_WORLD_RANK/OMPI_COMM_WORLD_SIZE").
    public let source: String

    /// The whole input: one shard of one.
    public static let whole = Shard(uncheckedIndex: 0, count: 1, source: "no sharding")

    /// Share `index` of `count`; `source` says where it came from (for messages).
    /// - Throws: `ShardError` unless 0 <= index < count.
    public init(index: Int, count: Int, source: String = "--shard") throws(ShardError) {
        guard count >= 1, count <= 1_000_000 else { throw ShardError(message: "shard count must be from 1 to 1000000, got \(count) (\(source))") }
        guard index >= 0, index < count else { throw ShardError(message: "shard index must be from 0 to \(count - 1), got \(index) (\(source))") }
        self.init(uncheckedIndex: index, count: count, source: source)
    }

    private init(uncheckedIndex index: Int, count: Int, source: String) {
        self.index = index
        self.count = count
        self.source = source
    }

    /// Parses "I/N" (0 <= I < N).
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ShardError(message: "--shard must be I/N (this process's share I of N, from 0), got \(text)")
        }
        try self.init(index: i, count: n)
    }

    /// Whether this is all of the work (one shard).
    public var isWhole: Bool { count == 1 }

    /// Whether record (or item) `index` belongs to this shard.
    public func contains(_ index: Int) -> Bool { index % count == self.index }

    /// "2/4".
    public var description: String { "\(index)/\(count)" }

    /// A file-name tag, "part-2-of-4".
    public var tag: String { "part-\(index)-of-\(count)" }

    /// The share a launcher gives this process, from its environment:
    /// Open MPI's `OMPI_COMM_WORLD_RANK`/`_SIZE`, PMI's `PMI_RANK`/`PMI_SIZE`
    /// (MPICH, Intel MPI, Slurm's PMI), Slurm's `SLURM_PROCID` of
    /// `SLURM_STEP_NUM_TASKS` (an `srun` step: a batch script itself also has
    /// `SLURM_PROCID=0` and `SLURM_NTASKS`, and must not take a share), or a
    /// Slurm job array's `SLURM_ARRAY_TASK_ID` (less `SLURM_ARRAY_TASK_MIN`)
    /// of `SLURM_ARRAY_TASK_COUNT`. nil when none says there is more than one process.
    public static func fromEnvironment(_ environment: [String: String]) throws(ShardError) -> Shard? {
        func pair(_ rank: String, _ size: String, minus minimum: String? = nil) throws(ShardError) -> Shard? {
            guard let r = environment[rank], let s = environment[size] else { return nil }
            guard var i = Int(r), let n = Int(s) else {
                throw ShardError(message: "\(rank)=\(r) and \(size)=\(s) are not a process index and count")
            }
            if let minimum {
                guard let m = Int(environment[minimum] ?? "0") else { throw ShardError(message: "\(minimum)=\(environment[minimum] ?? "") is not a number") }
                i -= m
            }
            guard n > 1 else { return nil }
            return try Shard(index: i, count: n, source: "\(rank)/\(size)")
        }
        if let s = try pair("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE") { return s }
        if let s = try pair("PMI_RANK", "PMI_SIZE") { return s }
        if let s = try pair("SLURM_PROCID", "SLURM_STEP_NUM_TASKS") { return s }
        return try pair("SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", minus: "SLURM_ARRAY_TASK_MIN")
    }

    /// `--shard` when given, else the launcher's share, else the whole input.
    public static func resolve(option: String?, environment: [String: String]) throws(ShardError) -> Shard {
        if let option { return try Shard(parsing: option) }
        return try fromEnvironment(environment) ?? .whole
    }
}

/// An unusable `--shard` or launcher environment.
public struct ShardError: Error, CustomStringConvertible {
    /// What is wrong with the shard.
    public let message: String
    /// The message.
    public var description: String { message }
}

extension ShardError: ClassifiedError {
    /// A shard option or launcher variable the user gave.
    public var isUsersFault: Bool { true }
}
