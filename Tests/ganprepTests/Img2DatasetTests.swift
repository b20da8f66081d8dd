import Foundation
import Records
import Testing
import _TestSupport

/// The virtual environment with img2dataset, webdataset, PyTorch, Keras and
/// ganprep-data (`make ecosystem`, which `make test` runs and names here).
let ecosystemPython = ProcessInfo.processInfo.environment["GANPREP_ECOSYSTEM_PYTHON"]
/// Debian's Python, with h5py.
let systemPython = "/usr/bin/python3"

/// Runs `script` with the ecosystem's Python (arguments after it); stdout's last line as JSON.
func ecosystemJSON(_ script: String, _ arguments: [String], environment: [String: String] = [:]) throws -> JSONValue? {
    let result = try ProcessRunner.run(ecosystemPython!, ["-c", script] + arguments,
                                       environment: ["KERAS_BACKEND": "torch", "NO_ALBUMENTATIONS_UPDATE": "1"].merging(environment) { $1 })
    #expect(result.status == 0, "\(result.stderr)")
    guard let line = result.stdout.split(separator: "\n").last else { return nil }
    return try? JSONParser.parse(Array(line.utf8))
}

@Suite struct Img2DatasetTests {
    /// Serves /img/<n>.png: the n-th demo clothing PNG, unchanged.
    static func demoServer() throws -> TestHTTPServer {
        let folder = TestPaths.fixture("fashion-mnist/images")
        return try TestHTTPServer { request, connection in
            let name = String(request.path.split(separator: "/").last ?? "")
            if request.path.hasPrefix("/img/"), let bytes = try? Data(contentsOf: folder.appendingPathComponent(name)) {
                connection.respond(status: 200, headers: ["Content-Type": "image/png"], body: [UInt8](bytes))
            } else {
                connection.respond(status: 404)
            }
        }
    }

    /// Each image's url, description, label name and pixels (hex of the float32 bytes), by h5py.
    static let readByURL = """
        import h5py, json, sys
        f = h5py.File(sys.argv[1], 'r')
        names = [n.decode() for n in f['label_names'][()]] if 'label_names' in f else None
        rows = {}
        for i, url in enumerate(f['urls'][()]):
            rows[url.decode()] = [f['descriptions'][i].decode(), names[f['labels'][i]] if names else None, f['images'][i].tobytes().hex()]
        print(json.dumps(rows))
        """

    @Test(.enabled(if: ecosystemPython != nil, "the ecosystem's Python (make ecosystem, run by make test) is not available"))
    func packOfImg2DatasetsOutputHoldsWhatFetchAndPackHold() throws {
        let server = try Self.demoServer()
        defer { server.stop() }
        let dir = try TestPaths.temporaryDirectory("img2dataset")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = { (name: String) in dir.appendingPathComponent(name).path }
        let records = (0..<30).map { i in "{\"url\": \"\(server.baseURL)/img/\(String(format: "%05d", i)).png\", \"description\": \"item \(i % 3)\", \"cls\": \"c\(i % 2)\"}" }
        try ("[" + records.joined(separator: ",\n") + "]").write(toFile: path("records.json"), atomically: true, encoding: .utf8)
        let pack = ["--size", "28", "--channels", "1", "--labels", "field:cls", "--quiet"]
        #expect(try runGANPrep(["fetch", path("records.json"), "--out", path("fetched"), "--quiet"]).status == 0)
        let reference = try runGANPrep(["pack", path("fetched"), "--out", path("reference.h5")] + pack)
        #expect(reference.status == 0, "\(reference.stderr)")
        let expected = try ProcessRunner.run(systemPython, ["-c", Self.readByURL, path("reference.h5")]).stdout
        let tool = URL(fileURLWithPath: ecosystemPython!).deletingLastPathComponent().appendingPathComponent("img2dataset").path
        for format in ["webdataset", "files"] {
            let fetched = try ProcessRunner.run(tool, [
                "--url_list", path("records.json"), "--input_format", "json", "--url_col", "url", "--caption_col", "description",
                "--save_additional_columns", "[\"cls\"]", "--output_format", format, "--output_folder", path(format),
                "--processes_count", "1", "--thread_count", "4", "--number_sample_per_shard", "8", "--distributor", "multiprocessing",
                "--disable_all_reencoding", "True", "--encode_format", "png", "--encode_quality", "9",
            ], environment: ["NO_ALBUMENTATIONS_UPDATE": "1"])
            #expect(fetched.status == 0, "img2dataset \(format): \(fetched.stderr)")
            let packed = try runGANPrep(["pack", path(format), "--out", path("\(format).h5")] + pack)
            #expect(packed.status == 0, "pack of img2dataset's \(format): \(packed.stderr)")
            let seen = try ProcessRunner.run(systemPython, ["-c", Self.readByURL, path("\(format).h5")]).stdout
            let (a, b) = (try JSONParser.parse(Array(expected.utf8)), try JSONParser.parse(Array(seen.utf8)))
            guard case let .object(rows) = a else { Issue.record("no rows read"); continue }
            #expect(rows.count == 30)
            #expect(a == b, "img2dataset's \(format): pixels, descriptions or labels differ from fetch + pack's")
        }
    }

    /// A tar shard of two good samples and the hostile members of the issue, made with Python's tarfile,
    /// then cut inside a last member whose size runs past the end.
    static let hostileTar = """
        import io, sys, tarfile
        png = open(sys.argv[2], 'rb').read()
        with tarfile.open(sys.argv[1], 'w', format=tarfile.GNU_FORMAT) as tar:
            def add(name, data, kind=tarfile.REGTYPE, link=''):
                info = tarfile.TarInfo(name); info.size = len(data); info.type = kind; info.linkname = link
                tar.addfile(info, io.BytesIO(data))
            add('good1.png', png); add('good1.txt', b'first good')
            add('../../escape.png', png); add('/absolute.png', png)
            add('link.png', b'', tarfile.SYMTYPE, '/etc/passwd')
            add('hard.png', b'', tarfile.LNKTYPE, 'good1.png')
            add('empty.png', b'')
            add('d' * 150 + '/long.png', png); add('d' * 150 + '/long.txt', b'a long name')
            add('last.png', png * 20)
        data = open(sys.argv[1], 'rb').read()
        open(sys.argv[1], 'wb').write(data[:data.rfind(png[:64]) + 200])
        """

    @Test func hostileTarMembersAreSkippedWithTheirReasonsAndNothingIsWrittenOutside() throws {
        let dir = try TestPaths.temporaryDirectory("hostile-tar")
        defer { try? FileManager.default.removeItem(at: dir) }
        let shards = dir.appendingPathComponent("a/b/shards")
        try FileManager.default.createDirectory(at: shards, withIntermediateDirectories: true)
        let made = try ProcessRunner.run(systemPython, ["-c", Self.hostileTar, shards.appendingPathComponent("00000.tar").path,
                                                        TestPaths.fixture("fashion-mnist/images/00000.png").path])
        #expect(made.status == 0, "\(made.stderr)")
        let before = try FileManager.default.subpathsOfDirectory(atPath: dir.path).sorted()
        let out = dir.appendingPathComponent("a/b/d.h5").path
        let packed = try runGANPrep(["pack", shards.path, "--out", out, "--size", "28", "--channels", "1"])
        #expect(packed.status == 0, "\(packed.stderr)")
        #expect(packed.stdout.contains("packed 2 images"), "\(packed.stdout)")
        let after = try FileManager.default.subpathsOfDirectory(atPath: dir.path).sorted()
        #expect(Set(after).subtracting(before) == ["a/b/d.h5", "a/b/d.h5.pack.jsonl"], "\(Set(after).subtracting(before))")
        let manifest = try String(contentsOfFile: out + ".pack.jsonl", encoding: .utf8)
        for reason in ["unsafe member name", "link member", "empty member", "damaged tar"] {
            #expect(manifest.contains(reason), "no \(reason) in the pack manifest")
        }
        #expect(manifest.components(separatedBy: "unsafe member name").count - 1 == 2)
        #expect(manifest.components(separatedBy: "link member").count - 1 == 2)
        #expect(manifest.contains("member last.png declares"))
        let descriptions = try ProcessRunner.run(systemPython, ["-c", "import h5py, sys; print(sorted(d.decode() for d in h5py.File(sys.argv[1])['descriptions']))", out])
        #expect(descriptions.stdout.contains("'a long name'") && descriptions.stdout.contains("'first good'"), "\(descriptions.stdout)")
    }
}
