import Fetch
import Foundation
import Records
import Testing
import Synchronization
import _TestSupport

@Suite struct ShardedFetchTests {
    /// Every fault class the downloader knows, as in `everyRecordLandsInItsStatusClass`.
    func faultURLs(_ base: String) -> [String] {
        ["/img/chelsea.jpg", "/img/rgb.png", "/flaky/1", "/ratelimited/1", "/redirect/3", "/missing/x.jpg", "/always500/x.jpg",
         "/stall/x.jpg", "/trickle/x.jpg", "/short/x.jpg", "/loop/x.jpg", "/tofile/x.jpg", "/endless/x.jpg", "/html/x.jpg",
         "/noai/x.jpg", "/dup/x.jpg", "/img/gray.png", "/dup/x.jpg"].map { base + $0 }
        + ["http://127.0.0.1:\(TestPaths.refusedPort())/x.jpg", "ftp://127.0.0.1/x.jpg", "not a url", ""]
    }

    func options(shard: Shard = .whole) -> FetchOptions {
        FetchOptions(
            parallel: 16, perHost: 16, retries: 1,
            transfer: TransferOptions(timeout: 8, connectTimeout: 2, maxBytes: 1 << 20, maxRedirects: 5, lowSpeedBytes: 1024, lowSpeedSeconds: 2),
            backoffBase: 0.05, backoffMax: 2, shard: shard)
    }

    func records(_ urls: [String]) -> [Record] {
        urls.enumerated().map { Record(index: $0.offset, url: $0.element, description: "item \($0.offset)") }
    }

    @Test func threeShardsInOneDirectoryEndAsOneProcessDoes() throws {
        let scratch = try TestPaths.temporaryDirectory("fetch-shards")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // One server per run, so per-path state (the flaky route's first failure) is the same for both.
        let wholeServer = try FaultServer(), shardServer = try FaultServer()
        defer { wholeServer.stop(); shardServer.stop() }
        let whole = scratch.appendingPathComponent("whole").path
        _ = try Downloader(records: records(faultURLs(wholeServer.baseURL)), outputDirectory: whole, options: options()).run()

        // The three shards at once, sharing one directory.
        let shared = scratch.appendingPathComponent("shared").path
        let shardRecords = records(faultURLs(shardServer.baseURL))
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 3) { i in
            do {
                let shard = try Shard(index: i, count: 3)
                _ = try Downloader(records: shardRecords, outputDirectory: shared, options: options(shard: shard)).run()
            } catch {
                failures.withLock { $0.append("shard \(i): \(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")

        // Each part holds exactly its shard's records.
        let parts = try FetchDirectory.manifests(in: shared)
        #expect(parts.map { ($0 as NSString).lastPathComponent } == (0..<3).map { "manifest.part-\($0)-of-3.jsonl" })
        var seen: [Int: Int] = [:]
        for (i, part) in parts.enumerated() {
            for index in try FetchManifest.read(path: part).entries.keys {
                #expect(index % 3 == i, "record \(index) in part \(i)")
                seen[index, default: 0] += 1
            }
        }
        #expect(seen.count == shardRecords.count && seen.values.allSatisfy { $0 == 1 }, "every record in exactly one part")

        // The joined parts say for every record what the one process said.
        let reference = try FetchManifest.read(path: whole + "/manifest.jsonl").entries
        let joined = try FetchDirectory.entries(in: shared)
        #expect(joined.manifests == 3)
        for index in shardRecords.indices {
            let a = try #require(reference[index]), b = try #require(joined.entries[index])
            #expect(a.status == b.status, "record \(index) \(a.url): one process \(a.status), shards \(b.status)")
            #expect(a.sha256 == b.sha256 && a.file == b.file && a.error == b.error || a.status != .duplicate && a.status != .ok,
                    "record \(index): \(a.error ?? "-") vs \(b.error ?? "-")")
        }
        // Duplicates across shards (records 15 and 17 are record 0's bytes, in shards 0 and 2) landed once.
        let files = try FileManager.default.contentsOfDirectory(atPath: shared + "/images").sorted()
        #expect(files == (try FileManager.default.contentsOfDirectory(atPath: whole + "/images").sorted()))
        #expect(try FetchDirectory.manifests(in: whole).count == 1)
    }

    @Test func aDirectoryWithTwoFetchesIsRefused() throws {
        let scratch = try TestPaths.temporaryDirectory("fetch-mixed")
        defer { try? FileManager.default.removeItem(at: scratch) }
        for name in ["manifest.part-0-of-2.jsonl", "manifest.part-1-of-3.jsonl"] {
            try "".write(toFile: scratch.path + "/" + name, atomically: true, encoding: .utf8)
        }
        #expect(throws: RecordsError.self) { try FetchDirectory.manifests(in: scratch.path) }
        try FileManager.default.removeItem(atPath: scratch.path + "/manifest.part-1-of-3.jsonl")
        #expect(try FetchDirectory.manifests(in: scratch.path).count == 1)
        try "".write(toFile: scratch.path + "/manifest.jsonl", atomically: true, encoding: .utf8)
        #expect(throws: RecordsError.self) { try FetchDirectory.manifests(in: scratch.path) }
    }
}
