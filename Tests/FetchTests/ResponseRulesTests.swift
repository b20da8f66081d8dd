@testable import Fetch
import Foundation
import Records
import Support
import Testing

/// The downloader's own reading of plain URLs agrees with Foundation's
/// parser wherever it answers, and leaves the rest to it.
@Suite struct ResponseRulesTests {
    @Test func thePlainURLReaderAgreesWithURLComponentsWhereverItAnswers() {
        let fixed = ["http://a/b.jpg", "https://Example.COM:8443/x?y=1&z=2", "http://127.0.0.2:80/00001.png", "http://h:0/",
                     "http://h:65536/", "http://h:08/", "http://h/a b", "http://h/%41", "http://h/#f", "http://[::1]/", "http://u@h/",
                     "HTTP://h/", "ftp://h/", "http:///x", "http://h", "http://h?q", "http://a..b/", "http://h/é", "http://h:/"]
        var random = SeededGenerator(seed: 17)
        let pieces = ["http://", "https://", "h", "H", "ex-am.ple", "1.2.3.4", ":", "8080", "/", "?", "=", "&", "%", "#", " ", "@",
                      "[", "]", "~", "'", "(", "*", "é", "a", "0", "."]
        var urls = fixed
        let schemes = ["http://", "https://", "HTTP://", "http:/", ""]
        let hosts = ["h", "Ex-Am.ple", "1.2.3.4", "", "a..b", "h_x", "[::1]", "u@h"]
        let ports = ["", "", ":80", ":8443", ":0", ":65535", ":65536", ":08", ":", ":x"]
        for _ in 0..<5000 {
            let tail = (0..<random.below(6)).map { _ in pieces[random.below(pieces.count)] }.joined()
            urls.append(schemes[random.below(schemes.count)] + hosts[random.below(hosts.count)] + ports[random.below(ports.count)]
                        + (random.below(3) == 0 ? "" : "/") + tail)
        }
        var answered = 0
        for url in urls {
            guard let fast = ResponseRules.plainHTTPHost(of: url) else { continue }
            answered += 1
            let record = Record(index: 0, url: url, description: "", extra: .object([]), line: 1)
            #expect(ResponseRules.refusal(of: record) == nil, "\(url): refused by the slow path")
            #expect(ResponseRules.host(of: url) == fast, "\(url): host \(fast) vs \(ResponseRules.host(of: url) ?? "nil")")
        }
        #expect(answered > 200, "the random URLs include plain ones")
        #expect(ResponseRules.plainHTTPHost(of: "https://Example.COM:8443/x?y=1") == "example.com:8443")
        #expect(ResponseRules.plainHTTPHost(of: "http://h/a b") == nil && ResponseRules.plainHTTPHost(of: "http://h/%41") == nil)
    }
}
