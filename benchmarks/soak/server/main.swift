// Serves a distinct generated 32x32 gray PNG at /img/<n>.png for every n, from
// 127.0.0.1, for the million-record soak (benchmarks/soak). It counts the
// requests per n so the soak can check that a resumed fetch asks for nothing
// that an interrupted one had finished:
//   GET /requests  the count per n, one byte each (saturating at 255), n = 0 ..< the largest n seen + 1
//   GET /reset     forgets the counts
// Usage: soak-server PORT_FILE
import Foundation
import Imaging
import Support
import _TestSupport

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: soak-server PORT_FILE\n".utf8))
    exit(2)
}

/// Requests per image number.
final class RequestCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [UInt8] = []
    func count(_ n: Int) {
        lock.withLock {
            if n >= counts.count { counts.append(contentsOf: repeatElement(0, count: max(n + 1 - counts.count, counts.count))) }
            if counts[n] < 255 { counts[n] += 1 }
        }
    }
    func snapshot() -> [UInt8] { lock.withLock { Array(counts[..<((counts.lastIndex { $0 != 0 } ?? -1) + 1)]) } }
    func reset() { lock.withLock { counts = [] } }
}

/// Image n: a gray background and three rectangles, placed and shaded from n
/// by the project's seeded generator, with n's three low bytes in the first
/// three pixels so that no two images are the same bytes.
enum SoakImage {
    static func png(_ n: Int) -> [UInt8] {
        var random = SeededGenerator(seed: UInt64(n))
        func next() -> UInt64 { random.next() }
        let side = 32
        var pixels = [UInt8](repeating: UInt8(truncatingIfNeeded: next() % 96), count: side * side)
        for _ in 0..<3 {
            let x0 = Int(next() % 24), y0 = Int(next() % 24)
            let w = 4 + Int(next() % 12), h = 4 + Int(next() % 12)
            let shade = UInt8(truncatingIfNeeded: 96 + next() % 160)
            for y in y0..<min(side, y0 + h) { for x in x0..<min(side, x0 + w) { pixels[y * side + x] = shade } }
        }
        pixels[0] = UInt8(truncatingIfNeeded: n)
        pixels[1] = UInt8(truncatingIfNeeded: n >> 8)
        pixels[2] = UInt8(truncatingIfNeeded: n >> 16)
        return (try? PNGEncoder.encode(DecodedImage(width: side, height: side, channels: 1, pixels: pixels))) ?? []
    }
}

let counts = RequestCounts()
let server = try TestHTTPServer(keepLog: false) { request, connection in
    if request.path.hasPrefix("/img/"), request.path.hasSuffix(".png"),
       let n = Int(request.path.dropFirst(5).dropLast(4)), n >= 0, n < 1 << 24 {
        counts.count(n)
        connection.respond(status: 200, headers: ["Content-Type": "image/png"], body: SoakImage.png(n))
    } else if request.path == "/requests" {
        connection.respond(status: 200, headers: ["Content-Type": "application/octet-stream"], body: counts.snapshot())
    } else if request.path == "/reset" {
        counts.reset()
        connection.respond(status: 200, body: Array("reset\n".utf8))
    } else {
        connection.respond(status: 404)
    }
}
try "\(server.port)\n".write(toFile: arguments[1], atomically: true, encoding: .utf8)
// Runs until killed.
while true { sleep(60) }
