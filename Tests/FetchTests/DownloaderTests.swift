import Fetch
import Foundation
import Records
import Records
import Support
import Testing
import _TestSupport

@Suite struct DownloaderTests {
    /// Fast limits for tests: 2 s stall, 1 MiB files, quick retries.
    func fastOptions(retries: Int = 1, parallel: Int = 16, perHost: Int = 16) -> FetchOptions {
        FetchOptions(
            parallel: parallel, perHost: perHost, retries: retries,
            transfer: TransferOptions(timeout: 8, connectTimeout: 2, maxBytes: 1 << 20, maxRedirects: 5,
                                      lowSpeedBytes: 1024, lowSpeedSeconds: 2),
            backoffBase: 0.05, backoffMax: 2)
    }

    func records(_ urls: [String]) -> [Record] {
        urls.enumerated().map { Record(index: $0.offset, url: $0.element, description: "item \($0.offset)") }
    }

    @Test func everyRecordLandsInItsStatusClass() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let base = server.baseURL
        let cases: [(path: String, status: FetchStatus)] = [
            (base + "/img/chelsea.jpg", .ok),
            (base + "/img/rgb.png", .ok),
            (base + "/flaky/1", .ok),
            (base + "/ratelimited/1", .ok),
            (base + "/redirect/3", .ok),
            (base + "/missing/x.jpg", .httpError),
            (base + "/always500/x.jpg", .httpError),
            (base + "/stall/x.jpg", .timeout),
            (base + "/trickle/x.jpg", .timeout),
            (base + "/short/x.jpg", .connection),
            ("http://127.0.0.1:\(TestPaths.refusedPort())/x.jpg", .connection),
            (base + "/loop/x.jpg", .redirectLimit),
            (base + "/tofile/x.jpg", .badScheme),
            ("ftp://127.0.0.1/x.jpg", .badScheme),
            (base + "/endless/x.jpg", .tooLarge),
            (base + "/html/x.jpg", .notImage),
            (base + "/noai/x.jpg", .robotsOptOut),
            ("not a url", .invalidRecord),
            ("", .invalidRecord),
            (base + "/dup/x.jpg", .duplicate),
        ]
        let directory = try TestPaths.temporaryDirectory("fetch-classes")
        defer { try? FileManager.default.removeItem(at: directory) }
        let downloader = Downloader(records: records(cases.map(\.path)), outputDirectory: directory.path, options: fastOptions())
        let summary = try downloader.run()
        let (entries, skipped, lines) = try FetchManifest.read(path: downloader.manifestPath)
        #expect(skipped == 0 && lines == cases.count, "one line per record")
        for (index, testCase) in cases.enumerated() {
            let entry = try #require(entries[index], "no manifest entry for \(testCase.path)")
            #expect(entry.status == testCase.status, "\(testCase.path): \(entry.status) (\(entry.error ?? "no error"))")
            #expect(entry.description == "item \(index)")
            if entry.status != .ok { #expect(entry.error?.isEmpty == false, "\(testCase.path) has no message") }
        }
        // Retries happened where they should, and only there.
        #expect(entries[2]?.attempts == 2 && server.hitCount("/flaky/1") == 2)
        #expect(entries[3]?.attempts == 2)
        // The 429 said Retry-After: 1; the backoff alone would have waited about 0.05 s.
        let rateLimited = server.arrivalTimes("/ratelimited/1")
        #expect(rateLimited.count == 2 && rateLimited[1].timeIntervalSince(rateLimited[0]) >= 0.95)
        #expect(entries[5]?.attempts == 1 && entries[5]?.httpCode == 404)
        #expect(entries[6]?.attempts == 2 && entries[6]?.httpCode == 503)
        #expect(entries[4]?.finalURL == base + "/redirect/0")
        // The duplicate points at the first record's file.
        #expect(entries[19]?.file == entries[0]?.file && entries[19]?.sha256 == entries[0]?.sha256)
        #expect(summary.counts[.ok] == 5 && summary.counts[.duplicate] == 1)
        #expect(FileManager.default.fileExists(atPath: downloader.summaryPath))
    }

    @Test func okFilesAreByteIdenticalAndNamedByTheirHash() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let names = ["chelsea.jpg", "coffee.jpg", "rgb.png", "gray.png"]
        let directory = try TestPaths.temporaryDirectory("fetch-bytes")
        defer { try? FileManager.default.removeItem(at: directory) }
        let downloader = Downloader(records: records(names.map { server.baseURL + "/img/" + $0 }),
                                    outputDirectory: directory.path, options: fastOptions())
        _ = try downloader.run()
        let entries = try FetchManifest.read(path: downloader.manifestPath).entries
        for (index, name) in names.enumerated() {
            let entry = try #require(entries[index])
            let served = server.images[name]!
            let stored = [UInt8](try Data(contentsOf: directory.appendingPathComponent(try #require(entry.file))))
            #expect(stored == served, "\(name) differs from what was served")
            #expect(entry.sha256 == SHA256.hex(served))
            #expect(entry.file == "images/\(SHA256.hex(served)).\(name.hasSuffix("png") ? "png" : "jpg")")
            #expect(entry.bytes == served.count)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("images").path)
        #expect(leftovers.count == names.count, "only the finished files remain: \(leftovers)")
    }

    @Test func largeFilesStreamToDiskAndArriveIntact() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let directory = try TestPaths.temporaryDirectory("fetch-big")
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = fastOptions()
        options.transfer.maxBytes = 4 << 20
        let downloader = Downloader(records: records([server.baseURL + "/big/a.jpg", server.baseURL + "/endless/b.jpg"]),
                                    outputDirectory: directory.path, options: options)
        _ = try downloader.run()
        let entries = try FetchManifest.read(path: downloader.manifestPath).entries
        let big = try #require(entries[0])
        #expect(big.status == .ok && big.bytes == 1_572_864)
        let stored = [UInt8](try Data(contentsOf: directory.appendingPathComponent(try #require(big.file))))
        #expect(stored == FaultServer.bigImage(server.images["chelsea.jpg"]!))
        #expect(entries[1]?.status == .tooLarge)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("images").path)
        #expect(files == [big.file!.replacingOccurrences(of: "images/", with: "")], "the aborted transfer left \(files)")
    }

    @Test func perHostCapLimitsConcurrentRequests() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let urls = (0..<12).map { server.baseURL + "/slow/\($0)" }
        let directory = try TestPaths.temporaryDirectory("fetch-perhost")
        defer { try? FileManager.default.removeItem(at: directory) }
        let summary = try Downloader(records: records(urls), outputDirectory: directory.path,
                                     options: fastOptions(parallel: 10, perHost: 3)).run()
        #expect(summary.counts[.ok] == 12)
        #expect(server.maxInFlight <= 3, "saw \(server.maxInFlight) concurrent requests to one host")
        #expect(server.maxInFlight >= 2, "transfers did not overlap")
    }

    @Test func rerunSkipsFinishedRecordsAndOnlyFailedRetriesTransientOnes() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let urls = [server.baseURL + "/img/chelsea.jpg", server.baseURL + "/always500/a", server.baseURL + "/missing/b"]
        let directory = try TestPaths.temporaryDirectory("fetch-rerun")
        defer { try? FileManager.default.removeItem(at: directory) }
        let options = fastOptions(retries: 0)
        _ = try Downloader(records: records(urls), outputDirectory: directory.path, options: options).run()
        #expect(server.hitCount("/img/chelsea.jpg") == 1)
        let again = try Downloader(records: records(urls), outputDirectory: directory.path, options: options).run()
        #expect(again.processed == 0 && again.skipped == 3)
        #expect(server.hitCount("/img/chelsea.jpg") == 1, "a finished record was downloaded again")
        var onlyFailed = options
        onlyFailed.onlyFailed = true
        let retried = try Downloader(records: records(urls), outputDirectory: directory.path, options: onlyFailed).run()
        #expect(retried.processed == 1, "only the 503 is transient")
        #expect(server.hitCount("/always500/a") == 2 && server.hitCount("/missing/b") == 1)
        let (entries, _, lines) = try FetchManifest.read(path: directory.appendingPathComponent("manifest.jsonl").path)
        #expect(lines == 3 && entries.count == 3, "no duplicate manifest lines")
    }

    /// The same bytes under twelve URLs, the later records answered first:
    /// the lowest index owns the one file and every other names it, in the
    /// manifest and the summary, and a re-run asks for none of them again.
    @Test func theLowestIndexOwnsBytesThatLaterRecordsGotFirst() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let urls = (0..<12).map { server.baseURL + "/samedelay/\((12 - $0) * 25)/\($0)" }
        let directory = try TestPaths.temporaryDirectory("fetch-owner")
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = fastOptions()
        options.parallel = 12
        options.perHost = 12
        let downloader = Downloader(records: records(urls), outputDirectory: directory.path, options: options)
        let summary = try downloader.run()
        let (entries, _, lines) = try FetchManifest.read(path: downloader.manifestPath)
        #expect(lines == 12 && entries[0]?.status == .ok)
        for i in 1..<12 {
            #expect(entries[i]?.status == .duplicate && entries[i]?.error == "same bytes as record 0", "record \(i): \(String(describing: entries[i]))")
            #expect(entries[i]?.file == entries[0]?.file)
        }
        #expect(summary.counts[.ok] == 1 && summary.counts[.duplicate] == 11)
        let images = try FileManager.default.contentsOfDirectory(atPath: downloader.imagesDirectory)
        #expect(images == [entries[0]?.file?.split(separator: "/").last.map(String.init)], "\(images)")
        let again = try Downloader(records: records(urls), outputDirectory: directory.path, options: options).run()
        #expect(again.processed == 0 && again.skipped == 12 && again.counts[.duplicate] == 11)
        #expect(urls.allSatisfy { server.hitCount(String($0.dropFirst(server.baseURL.count))) == 1 })
    }

    @Test func tornManifestLineIsIgnoredAndItsRecordRedone() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let urls = [server.baseURL + "/img/chelsea.jpg", server.baseURL + "/img/coffee.jpg"]
        let directory = try TestPaths.temporaryDirectory("fetch-torn")
        defer { try? FileManager.default.removeItem(at: directory) }
        let downloader = Downloader(records: records(urls), outputDirectory: directory.path, options: fastOptions())
        _ = try downloader.run()
        // Simulate a crash in the middle of writing the second line.
        let text = try String(contentsOfFile: downloader.manifestPath, encoding: .utf8)
        let lines = text.split(separator: "\n")
        try (lines[0] + "\n" + lines[1].prefix(40)).write(toFile: downloader.manifestPath, atomically: true, encoding: .utf8)
        let summary = try Downloader(records: records(urls), outputDirectory: directory.path, options: fastOptions()).run()
        #expect(summary.processed == 1)
        #expect(server.hitCount("/img/coffee.jpg") == 2 && server.hitCount("/img/chelsea.jpg") == 1)
        let after = try FetchManifest.read(path: downloader.manifestPath)
        #expect(after.lines == 2 && after.skippedLines == 0 && after.entries.values.allSatisfy { $0.status == .ok })
    }

    @Test func resumeVerifiesFilesAndDownloadsWhatDoesNotMatch() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let urls = [server.baseURL + "/img/chelsea.jpg", server.baseURL + "/img/coffee.jpg", server.baseURL + "/img/rgb.png",
                    server.baseURL + "/redirect/2"]
        let directory = try TestPaths.temporaryDirectory("fetch-verify")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = Downloader(records: records(urls), outputDirectory: directory.path, options: fastOptions())
        _ = try first.run()
        let entries = try FetchManifest.read(path: first.manifestPath).entries
        func path(_ index: Int) throws -> String { directory.path + "/" + (try #require(entries[index]?.file)) }
        // Same size, other bytes (what a second writer left behind); and a file gone.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try path(0))))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: try path(0)))
        try FileManager.default.removeItem(atPath: try path(1))
        let second = Downloader(records: records(urls), outputDirectory: directory.path, options: fastOptions())
        let summary = try second.run()
        #expect(summary.unverified == 2 && summary.processed == 2 && summary.skipped == 2)
        #expect(server.hitCount("/img/chelsea.jpg") == 2 && server.hitCount("/img/coffee.jpg") == 2)
        #expect(server.hitCount("/img/rgb.png") == 1, "a file that matches is not downloaded again")
        // Now every ok file is what its line says.
        for (_, entry) in try FetchManifest.read(path: second.manifestPath).entries where entry.status == .ok {
            let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + (entry.file ?? ""))))
            #expect(SHA256.hex(data) == entry.sha256 && data.count == entry.bytes)
        }
        let third = try Downloader(records: records(urls), outputDirectory: directory.path, options: fastOptions()).run()
        #expect(third.unverified == 0 && third.processed == 0)
    }

    @Test func robotsHeadersCanBeIgnoredOnRequest() throws {
        let server = try FaultServer()
        defer { server.stop() }
        let directory = try TestPaths.temporaryDirectory("fetch-robots")
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = fastOptions()
        options.honourRobotsHeaders = false
        let summary = try Downloader(records: records([server.baseURL + "/noai/a.jpg"]), outputDirectory: directory.path, options: options).run()
        #expect(summary.counts[.ok] == 1)
    }
}
