import CCurl
@testable import Fetch
import Foundation
import Records
import Synchronization
import Testing
import _TestSupport

/// The libcurl options fetch's safety rests on are checked: a refused one
/// (forced here through the downloader's override seam) stops the run before
/// any request is made or any file is created, and names the option.
@Suite struct CurlOptionTests {
    func run(refusing refused: CURLoption?, server: TestHTTPServer, in dir: URL) throws(FetchError) -> FetchSummary {
        let records = (0..<3).map { Record(index: $0, url: "\(server.baseURL)/img/\($0).jpg", description: "item \($0)") }
        let downloader = Downloader(records: records, outputDirectory: dir.path, options: FetchOptions())
        if let refused {
            downloader.curlOptionOverride = { option in option == refused ? CURLE_UNKNOWN_OPTION : nil }
        }
        return try downloader.run()
    }

    @Test func aRefusedProtocolRestrictionFetchesNothing() throws {
        let requests = Mutex(0)
        let jpeg = try TestPaths.fixtureBytes("images/chelsea.jpg")
        let server = try TestHTTPServer { request, connection in
            requests.withLock { $0 += 1 }
            connection.respond(status: 200, headers: ["Content-Type": "image/jpeg"], body: jpeg + Array(request.path.utf8))
        }
        defer { server.stop() }
        let dir = try TestPaths.temporaryDirectory("curl-option")
        defer { try? FileManager.default.removeItem(at: dir) }
        for option in [CURLOPT_PROTOCOLS_STR, CURLOPT_REDIR_PROTOCOLS_STR, CURLOPT_MAXFILESIZE_LARGE] {
            let out = dir.appendingPathComponent("refused-\(option.rawValue)")
            #expect {
                try run(refusing: option, server: server, in: out)
            } throws: { error in
                guard case let .curlOption(name, code, _) = error as? FetchError else { return false }
                return name.hasPrefix("CURLOPT_") && code == Int(CURLE_UNKNOWN_OPTION.rawValue)
                    && "\(error)".contains(name) && "\(error)".contains("does not run without it")
            }
            #expect(requests.withLock { $0 } == 0, "a request was made without \(option)")
            #expect(!FileManager.default.fileExists(atPath: out.path), "the output was created")
        }
        // The same run with libcurl's own answers fetches all three.
        let summary = try run(refusing: nil, server: server, in: dir.appendingPathComponent("fetched"))
        #expect(summary.counts[.ok] == 3 && requests.withLock { $0 } == 3, "\(summary.counts)")
    }
}
