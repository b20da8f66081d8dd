import ArgumentParser
import Fetch
import Foundation
import Records

extension GANPrep {
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fetch",
            abstract: "Download the images of a records file (JSON, JSON Lines or CSV) with a manifest of every record's fate.",
            discussion: """
                Writes OUT/images/ (files named by their SHA-256), OUT/manifest.jsonl (one line per record: index, url, final_url, description, status, http_code, bytes, content_type, sha256, file, attempts, error) and OUT/summary.json (with --shard I/N: OUT/manifest.part-I-of-N.jsonl and OUT/summary.part-I-of-N.json, so the shards of one fetch can share OUT). Statuses: ok, http_error, timeout, connection, dns, too_large, not_image, redirect_limit, bad_scheme, robots_opt_out, invalid_record, duplicate, error (a failure that fits no other class).
                
                Re-running the same command resumes: finished records whose files still match their manifest line (size and SHA-256) are not downloaded again. One fetch at a time writes a directory; a second is refused with the first one's pid. Failed downloads are data, not errors: the exit status is 0 when every record was processed, 2 for an unusable records file or arguments, 1 for an internal failure.
                """)

        @Argument(help: "The records file: a JSON array of {\"url\", \"description\"} objects, JSON Lines, or CSV with a header; - for standard input.")
        var records: String

        @Option(name: .long, help: "Output directory.")
        var out: String = "fetched"

        @Option(help: "Records format (json, jsonl, csv); guessed from the name or content when absent.")
        var format: RecordsFormat?

        @Option(help: "Transfers in flight at once.")
        var parallel: Int = 32

        @Option(name: .customLong("per-host"), help: "Transfers in flight at once to one host.")
        var perHost: Int = 8

        @Option(help: "Seconds allowed for one whole transfer.")
        var timeout: Double = 60

        @Option(name: .customLong("connect-timeout"), help: "Seconds allowed to connect.")
        var connectTimeout: Double = 10

        @Option(name: .customLong("stall-timeout"), help: "Abort a transfer slower than 1 KiB/s for this many seconds.")
        var stallTimeout: Int = 15

        @Option(help: "Retries after a transient failure (timeout, reset, 408, 429, 5xx), with exponential backoff.")
        var retries: Int = 3

        @Option(name: .customLong("retry-delay"), help: "First retry delay in seconds (doubles each retry, with jitter; Retry-After wins).")
        var retryDelay: Double = 1

        @Option(name: .customLong("max-bytes"), help: "Largest accepted file in bytes (aborted while streaming).")
        var maxBytes: Int = 20 << 20

        @Option(name: .customLong("max-redirects"), help: "Redirects followed at most.")
        var maxRedirects: Int = 5

        @Option(name: .customLong("user-agent"), help: "User-Agent header.")
        var userAgent: String = GANPrep.userAgent

        @Flag(name: .customLong("ignore-robots-headers"), help: "Download images whose response says X-Robots-Tag: noai or noimageai.")
        var ignoreRobotsHeaders = false

        @Flag(name: .customLong("only-failed"), help: "Retry only the records whose last status was a transient failure.")
        var onlyFailed = false

        @OptionGroup var sharding: ShardSelection
        var shard: String? { sharding.shard }

        @OptionGroup var output: QuietOption
        var quiet: Bool { output.quiet }

        func validate() throws {
            try OptionChecks.integer("--parallel", parallel, in: 1...1024)
            try OptionChecks.integer("--per-host", perHost, in: 1...1024)
            try OptionChecks.integer("--retries", retries, in: 0...100)
            // libcurl counts milliseconds, and reads 0 as "no limit": below 1 ms is refused.
            try OptionChecks.number("--timeout", timeout, in: 0.001...86_400, unit: "seconds")
            try OptionChecks.number("--connect-timeout", connectTimeout, in: 0.001...3_600, unit: "seconds")
            try OptionChecks.integer("--stall-timeout", stallTimeout, in: 1...86_400)
            try OptionChecks.number("--retry-delay", retryDelay, in: 0...3_600, unit: "seconds")
            try OptionChecks.integer("--max-bytes", maxBytes, in: 1...(1 << 36))
            try OptionChecks.integer("--max-redirects", maxRedirects, in: 0...100)
        }

        func run() throws {
            let source = try RecordSource.file(records, format: format)
            let transfer = TransferOptions(
                timeout: timeout, connectTimeout: connectTimeout, maxBytes: maxBytes, maxRedirects: maxRedirects,
                userAgent: userAgent, lowSpeedBytes: 1024, lowSpeedSeconds: stallTimeout)
            var options = FetchOptions(
                parallel: parallel, perHost: perHost, retries: retries, transfer: transfer,
                honourRobotsHeaders: !ignoreRobotsHeaders, onlyFailed: onlyFailed, backoffBase: retryDelay,
                shard: try ShardOption.resolve(shard, quiet: quiet))
            if records != "-" { options.recordsFile = URL(fileURLWithPath: records).standardizedFileURL.path }
            let downloader = Downloader(source: source, outputDirectory: out, options: options)
            let progress = ProgressLine(quiet: quiet)
            let summary: FetchSummary
            summary = try downloader.run { p in
                let fraction = p.total > 0 ? Double(p.done) / Double(p.total) : 1
                let text = "fetch \(p.done)/\(p.total)  ok \(p.ok)  failed \(p.failed)  "
                    + String(format: "%.1f/s", p.rate) + "  ETA \(ProgressLine.duration(p.eta))"
                progress.update(fraction: fraction, text: text, now: p.elapsed, final: p.done == p.total && p.active == 0)
            }
            if summary.unverified > 0 {
                printError("\(summary.unverified) files of earlier runs were missing or did not match their manifest line (size, SHA-256) and were downloaded again")
            }
            let counts = FetchStatus.allCases.compactMap { s in summary.counts[s].map { "\(s.rawValue) \($0)" } }
            print("fetched \(summary.processed) records (\(summary.skipped) already done) in "
                  + String(format: "%.1fs, %.1f images/s", summary.seconds, summary.imagesPerSecond))
            print("status: " + counts.joined(separator: ", "))
            print("manifest: \(downloader.manifestPath)")
        }
    }
}
