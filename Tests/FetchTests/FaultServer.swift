import Foundation
import _TestSupport

/// A real HTTP server on 127.0.0.1 that serves the fixture images and every
/// kind of misbehaviour the downloader must survive.
final class FaultServer: @unchecked Sendable {
    let server: TestHTTPServer
    let images: [String: [UInt8]]
    private let lock = NSLock()
    private var hits: [String: Int] = [:]
    private var arrivals: [String: [Date]] = [:]
    private var inFlight = 0
    private(set) var maxInFlight = 0

    var baseURL: String { server.baseURL }

    init() throws {
        var images: [String: [UInt8]] = [:]
        for name in ["chelsea.jpg", "coffee.jpg", "rgb.png", "gray.png", "chelsea-progressive.jpg"] {
            images[name] = try TestPaths.fixtureBytes("images/" + name)
        }
        self.images = images
        let box = HandlerBox()
        self.box = box
        server = try TestHTTPServer { request, connection in box.handle?(request, connection) }
        box.handle = { [unowned self] request, connection in self.handle(request, connection) }
    }

    private var box: HandlerBox

    private final class HandlerBox: @unchecked Sendable {
        var handle: ((TestHTTPRequest, TestHTTPConnection) -> Void)?
    }

    static func bigImage(_ jpeg: [UInt8]) -> [UInt8] {
        jpeg + (0..<(1_572_864 - jpeg.count)).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 13) }
    }

    func hitCount(_ path: String) -> Int { lock.withLock { hits[path, default: 0] } }

    /// When each request for `path` arrived.
    func arrivalTimes(_ path: String) -> [Date] { lock.withLock { arrivals[path, default: []] } }

    func stop() { server.stop() }

    private func handle(_ request: TestHTTPRequest, _ c: TestHTTPConnection) {
        let path = request.path
        let count: Int = lock.withLock {
            hits[path, default: 0] += 1
            arrivals[path, default: []].append(Date())
            return hits[path]!
        }
        let parts = path.split(separator: "/").map(String.init)
        let jpeg = images["chelsea.jpg"]!
        switch parts.first ?? "" {
        case "img":
            guard parts.count == 2, let bytes = images[parts[1]] else { return c.respond(status: 404) }
            c.respond(status: 200, headers: ["Content-Type": parts[1].hasSuffix("png") ? "image/png" : "image/jpeg"], body: bytes)
        case "slow":
            // Counts concurrent requests, to check the per-host cap.
            lock.withLock { inFlight += 1; maxInFlight = max(maxInFlight, inFlight) }
            usleep(150_000)
            lock.withLock { inFlight -= 1 }
            var body = jpeg
            body.append(contentsOf: Array(path.utf8))  // distinct bytes per path: no duplicates
            c.respond(status: 200, headers: ["Content-Type": "image/jpeg"], body: body)
        case "delay":
            // /delay/<ms>/<n>: a distinct image after a delay.
            usleep(UInt32(Int(parts[1]) ?? 0) * 1000)
            var body = images["rgb.png"]!
            body.append(contentsOf: Array(path.utf8))
            c.respond(status: 200, headers: ["Content-Type": "image/png"], body: body)
        case "samedelay":
            // /samedelay/<ms>/<n>: the same image for every n, after a delay.
            usleep(UInt32(Int(parts[1]) ?? 0) * 1000)
            c.respond(status: 200, headers: ["Content-Type": "image/png"], body: images["rgb.png"]!)
        case "missing":
            c.respond(status: 404, headers: ["Content-Type": "text/html"], body: Array("<h1>Not Found</h1>".utf8))
        case "gone":
            c.respond(status: 410, body: Array("gone".utf8))
        case "flaky":
            if count == 1 { c.respond(status: 500, body: Array("oops".utf8)) } else {
                c.respond(status: 200, headers: ["Content-Type": "image/png"], body: images["gray.png"]!)
            }
        case "always500":
            c.respond(status: 503, body: Array("down".utf8))
        case "ratelimited":
            if count == 1 { c.respond(status: 429, headers: ["Retry-After": "1"], body: []) } else {
                c.respond(status: 200, headers: ["Content-Type": "image/jpeg"], body: images["coffee.jpg"]!)
            }
        case "stall":
            // Reads the request, then says nothing.
            for _ in 0..<100 { usleep(100_000) }
            c.closeAfterResponse = true
        case "trickle":
            c.send("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n")
            for i in 0..<60 {
                if !c.send([jpeg[i]]) { break }
                usleep(1_000_000)
            }
            c.closeAfterResponse = true
        case "short":
            c.send("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: \(jpeg.count)\r\n\r\n")
            c.send(Array(jpeg.prefix(1000)))
            c.closeAfterResponse = true
        case "redirect":
            let n = Int(parts.count > 1 ? parts[1] : "0") ?? 0
            if n > 0 {
                c.respond(status: 302, headers: ["Location": "/redirect/\(n - 1)"])
            } else {
                c.respond(status: 200, headers: ["Content-Type": "image/jpeg"], body: images["chelsea-progressive.jpg"]!)
            }
        case "loop":
            c.respond(status: 302, headers: ["Location": "/loop"])
        case "tofile":
            c.respond(status: 302, headers: ["Location": "file:///etc/passwd"])
        case "endless":
            c.send("HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n\r\n")
            c.send(jpeg)
            let block = [UInt8](repeating: 0x55, count: 65536)
            for _ in 0..<4096 where c.send(block) {}
            c.closeAfterResponse = true
        case "html":
            c.respond(status: 200, headers: ["Content-Type": "image/jpeg"], body: Array("<!doctype html><html><body>Sorry</body></html>".utf8))
        case "noai":
            c.respond(status: 200, headers: ["Content-Type": "image/jpeg", "X-Robots-Tag": "noai"], body: jpeg)
        case "big":
            // 1.5 MiB: past the in-memory spool limit, so it streams to a temporary file.
            c.respond(status: 200, headers: ["Content-Type": "image/jpeg"], body: FaultServer.bigImage(jpeg))
        case "dup":
            c.respond(status: 200, headers: ["Content-Type": "image/jpeg"], body: jpeg)
        default:
            c.respond(status: 404)
        }
    }
}
