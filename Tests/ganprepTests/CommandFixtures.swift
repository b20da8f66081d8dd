import Foundation
import Records
import Testing
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// What several command tests start from: a server of distinct small PNGs,
/// records files, and packed demo clothing.
enum CommandFixtures {
    /// Serves /delay/<ms>/<n>: a distinct small PNG after a delay.
    static func imageServer() throws -> TestHTTPServer {
        let png = try TestPaths.fixtureBytes("images/gray.png")
        return try TestHTTPServer { request, connection in
            let parts = request.path.split(separator: "/")
            if parts.count == 3, parts[0] == "delay", let ms = UInt32(parts[1]) {
                usleep(ms * 1000)
                connection.respond(status: 200, headers: ["Content-Type": "image/png"], body: png + Array(request.path.utf8))
            } else {
                connection.respond(status: 404)
            }
        }
    }

    /// Every line of every manifest in a fetch `directory`, sorted.
    static func manifestLines(_ directory: URL) throws -> [String] {
        try FetchDirectory.manifests(in: directory.path).flatMap { path in
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        }.sorted()
    }

    /// A JSON records file of `urls`, described "Shirt <n>".
    static func writeRecords(_ urls: [String], to url: URL) throws {
        let items = urls.enumerated().map { "{\"url\": \"\($0.element)\", \"description\": \"Shirt \($0.offset)\"}" }
        try ("[\n" + items.joined(separator: ",\n") + "\n]\n").write(to: url, atomically: true, encoding: .utf8)
    }

    /// What the output, exit-status and non-finite tests start from, in `dir`:
    /// 60 labelled demo images packed to 16x16x1 (`d.h5`), a one-epoch
    /// classifier on them (`c.h5`), and a two-step mlp run (`run/`, with
    /// `run/checkpoints/step_000000002.h5`).
    static func packClassifyTrain(in dir: URL) throws {
        let path = { (name: String) in dir.appendingPathComponent(name).path }
        let folder = try TestPaths.labelledDemoFolder(60, into: dir)
        for arguments in [["pack", folder.path, "--out", path("d.h5"), "--size", "16", "--channels", "1", "--quiet"],
                          ["classifier", "train", path("d.h5"), "--out", path("c.h5"), "--epochs", "1", "--quiet"],
                          ["train", path("d.h5"), "--model", "mlp", "--steps", "2", "--checkpoint-every", "2", "--out", path("run"), "--quiet"]] {
            let result = try runGANPrep(arguments)
            #expect(result.status == 0, "\(arguments[0]): \(result.stderr)")
        }
    }

    /// Packs `count` demo clothing images to 32x32x1 with the CLI.
    static func packDemo(_ count: Int, in dir: URL) throws -> String {
        let input = try TestPaths.linkDemoImages(count, into: dir)
        let out = dir.appendingPathComponent("clothing.h5").path
        let packed = try runGANPrep(["pack", input.path, "--out", out, "--size", "32", "--channels", "1", "--resize-mode", "pad", "--quiet"])
        #expect(packed.status == 0, "\(packed.stderr)")
        return out
    }
}
