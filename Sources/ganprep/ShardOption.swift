import Foundation
import Records

/// `--shard I/N` of fetch and pack, or the share a launcher gives the process.
enum ShardOption {
    /// The shard to run, said on standard error when there is more than one.
    static func resolve(_ option: String?, quiet: Bool) throws -> Shard {
        let shard = try Shard.resolve(option: option, environment: ProcessInfo.processInfo.environment)
        if !shard.isWhole && !quiet { printError("shard \(shard) (from \(shard.source))") }
        return shard
    }

    /// `path` with `{shard}` replaced by the shard's index; refused when
    /// several shards would write the same file.
    static func output(_ path: String, shard: Shard, option: String) throws -> String {
        if path.contains("{shard}") { return path.replacingOccurrences(of: "{shard}", with: String(shard.index)) }
        if !shard.isWhole && shard.source != "--shard" {
            throw UserInputError(message: "\(option) \(path): every process of the launcher (\(shard.source)) would write it; put {shard} in the name, e.g. part-{shard}.h5")
        }
        return path
    }
}
