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
        guard count >= 1, count <= 1_000_000 else { throw .countOutOfRange(count: count, source: source) }
        guard index >= 0, index < count else { throw .indexOutOfRange(index: index, count: count, source: source) }
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
            throw .notAShare(text)
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
    /// Slurm job array's task: (`SLURM_ARRAY_TASK_ID` − `SLURM_ARRAY_TASK_MIN`)
    /// / `SLURM_ARRAY_TASK_STEP` of `SLURM_ARRAY_TASK_COUNT`. nil when none
    /// says there is more than one process.
    /// - Throws: `ShardError` when a variable is not a number, or an array
    ///   task's share cannot be known (no count, ids that are not a range).
    public static func fromEnvironment(_ environment: [String: String]) throws(ShardError) -> Shard? {
        func pair(_ rank: String, _ size: String) throws(ShardError) -> Shard? {
            guard let r = environment[rank], let s = environment[size] else { return nil }
            guard let i = Int(r), let n = Int(s) else { throw .notNumbers(rankVariable: rank, rank: r, sizeVariable: size, size: s) }
            guard n > 1 else { return nil }
            return try Shard(index: i, count: n, source: "\(rank)/\(size)")
        }
        if let s = try pair("OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE") { return s }
        if let s = try pair("PMI_RANK", "PMI_SIZE") { return s }
        if let s = try pair("SLURM_PROCID", "SLURM_STEP_NUM_TASKS") { return s }
        return try arrayTask(environment)
    }

    /// A Slurm array task's share: its place in the array's range of ids.
    static func arrayTask(_ environment: [String: String]) throws(ShardError) -> Shard? {
        guard let idText = environment["SLURM_ARRAY_TASK_ID"] else { return nil }
        func number(_ name: String, default value: Int? = nil) throws(ShardError) -> Int {
            guard let text = environment[name] else {
                if let value { return value }
                throw .arrayWithoutCount(taskID: idText)
            }
            guard let n = Int(text) else { throw .notANumber(variable: name, value: text) }
            return n
        }
        let id = try number("SLURM_ARRAY_TASK_ID"), count = try number("SLURM_ARRAY_TASK_COUNT")
        let minimum = try number("SLURM_ARRAY_TASK_MIN", default: 0), step = try number("SLURM_ARRAY_TASK_STEP", default: 1)
        guard count > 1 else { return nil }
        let offset = id - minimum
        guard step >= 1, offset >= 0, offset % step == 0, offset / step < count else {
            throw .arrayNotARange(id: id, minimum: minimum, step: step, count: count)
        }
        return try Shard(index: offset / step, count: count, source: "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT")
    }

    /// `--shard` when given, else the launcher's share, else the whole input.
    public static func resolve(option: String?, environment: [String: String]) throws(ShardError) -> Shard {
        if let option { return try Shard(parsing: option) }
        return try fromEnvironment(environment) ?? .whole
    }
}

/// An unusable `--shard` or launcher environment.
public enum ShardError: Error, Equatable, CustomStringConvertible {
    /// `--shard`'s text is not I/N.
    case notAShare(String)
    /// A shard count outside 1...1,000,000, and where it came from.
    case countOutOfRange(count: Int, source: String)
    /// A shard index outside 0..<count, and where it came from.
    case indexOutOfRange(index: Int, count: Int, source: String)
    /// A launcher's rank and size variables that are not numbers.
    case notNumbers(rankVariable: String, rank: String, sizeVariable: String, size: String)
    /// A launcher variable that is not a number.
    case notANumber(variable: String, value: String)
    /// `SLURM_ARRAY_TASK_ID` without `SLURM_ARRAY_TASK_COUNT` (Slurm before 18.08): the share cannot be known.
    case arrayWithoutCount(taskID: String)
    /// An array task whose id is not in the range min, min + step, … of `count` ids (`--array=1,4,9` lists).
    case arrayNotARange(id: Int, minimum: Int, step: Int, count: Int)

    /// What is wrong, and what to do instead.
    public var description: String {
        switch self {
        case let .notAShare(text): "--shard must be I/N (this process's share I of N, from 0), got \(text)"
        case let .countOutOfRange(count, source): "shard count must be from 1 to 1000000, got \(count) (\(source))"
        case let .indexOutOfRange(index, count, source): "shard index must be from 0 to \(count - 1), got \(index) (\(source))"
        case let .notNumbers(rankVariable, rank, sizeVariable, size):
            "\(rankVariable)=\(rank) and \(sizeVariable)=\(size) are not a process index and count"
        case let .notANumber(variable, value): "\(variable)=\(value) is not a number"
        case let .arrayWithoutCount(taskID):
            "this is task \(taskID) of a Slurm job array, but SLURM_ARRAY_TASK_COUNT is not set (Slurm before 18.08), so its share of the work "
                + "cannot be known; give it explicitly, e.g. --shard $((SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN))/N for an array of N tasks"
        case let .arrayNotARange(id, minimum, step, count):
            "Slurm array task \(id) is not one of the \(count) ids \(minimum), \(minimum + step), … (SLURM_ARRAY_TASK_MIN, _STEP, _COUNT): "
                + "submit the array as a range (--array=0-\(count - 1)), or give each task --shard I/\(count)"
        }
    }
}

extension ShardError: ClassifiedError {
    /// A shard option or launcher variable the user gave.
    public var isUsersFault: Bool { true }
}
