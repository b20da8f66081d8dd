import DatasetFile
import Foundation
import Records
import Support
import Testing
import _TestSupport

/// The Python that has GAPCV installed (`make test` sets it up and exports it).
let gapcvPython = ProcessInfo.processInfo.environment["GANPREP_GAPCV_PYTHON"]

@Suite struct PackCommandTests {
    func packFixtures(_ extra: [String], into dir: URL, name: String = "fx.h5") throws -> String {
        let out = dir.appendingPathComponent(name).path
        let result = try runGANPrep(["pack", TestPaths.fixture("images").path, "--out", out, "--quiet"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("packed 15 images"), "\(result.stdout)")
        return out
    }

    @Test func h5dumpAndH5pySeeTheSameShapeAndValues() throws {
        let dir = try TestPaths.temporaryDirectory("pack-interop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try packFixtures(["--size", "24x16"], into: dir)
        let dump = try ProcessRunner.run("/usr/bin/h5dump", ["-H", out])
        #expect(dump.status == 0)
        #expect(dump.stdout.contains("DATASET \"images\""))
        #expect(dump.stdout.contains("H5T_IEEE_F32LE"))
        #expect(dump.stdout.contains("( 15, 16, 24, 3 ) / ( H5S_UNLIMITED, 16, 24, 3 )"), "\(dump.stdout)")
        let script = """
            import h5py, json, sys
            f = h5py.File(sys.argv[1], "r")
            x = f["images"][:]
            d = [s.decode() if isinstance(s, bytes) else s for s in f["descriptions"][:]]
            print(json.dumps({"shape": list(x.shape), "dtype": str(x.dtype), "sum": float(x.astype("float64").sum()),
                              "first": [float(v) for v in x[3, 5, 7, :]], "min": float(x.min()), "max": float(x.max()),
                              "descriptions": d, "format": f.attrs["format"] if isinstance(f.attrs["format"], str) else f.attrs["format"].decode()}))
            """
        let python = try ProcessRunner.run("/usr/bin/python3", ["-c", script, out])
        #expect(python.status == 0, "\(python.stderr)")
        let json = try JSONParser.parse(Array(python.stdout.utf8))
        let reader = try DatasetReader(path: out)
        var all = [Float](repeating: 0, count: reader.count * reader.sampleSize)
        try all.withUnsafeMutableBufferPointer { try reader.read(start: 0, count: reader.count, into: $0) }
        #expect(json["shape"] == .array([.number(15), .number(16), .number(24), .number(3)]))
        #expect(json["dtype"]?.stringValue == "float32" && json["format"]?.stringValue == "ganprep")
        let sum = all.reduce(0.0) { $0 + Double($1) }
        #expect(abs((json["sum"]?.doubleValue ?? .nan) - sum) < 1e-3 * max(1, abs(sum)))
        let base = ((3 * 16 + 5) * 24 + 7) * 3
        #expect(json["first"] == .array((0..<3).map { .number(Double(all[base + $0])) }))
        #expect(json["descriptions"] == .array(try reader.descriptions().map(JSONValue.string)))
        #expect((json["min"]?.doubleValue ?? -2) >= -1 && (json["max"]?.doubleValue ?? 2) <= 1)
    }

    @Test(.enabled(if: gapcvPython != nil, "GAPCV's Python (set up by make test) is not available"))
    func gapcvsOwnLoaderOpensTheGAPCVLayout() throws {
        let dir = try TestPaths.temporaryDirectory("pack-gapcv-load")
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try packFixtures(["--size", "32", "--layout", "gapcv", "--channel-order", "bgr"], into: dir, name: "clothing.h5")
        let script = """
            import json, sys
            from gapcv.vision import Images
            images = Images()
            images.load("clothing", sys.argv[1] + "/")
            print(json.dumps({"count": int(images.count), "shape": [int(v) for v in images.shape], "groups": len(images.images),
                              "rows": sum(len(a) for a in images.images), "row_shape": list(images.images[0].shape[1:]),
                              "classes": len(images.classes), "fail": int(images.fail), "name": str(images.name)}))
            """
        let result = try ProcessRunner.run(gapcvPython!, ["-c", script, dir.path])
        #expect(result.status == 0, "GAPCV could not load the file: \(result.stderr)")
        let json = try JSONParser.parse(Array(result.stdout.split(separator: "\n").last.map(String.init)?.utf8 ?? "".utf8))
        #expect(json["count"]?.intValue == 15 && json["rows"]?.intValue == 15 && json["groups"]?.intValue == 15)
        #expect(json["shape"] == .array([.number(32), .number(32)]))
        #expect(json["row_shape"] == .array([.number(32), .number(32), .number(3)]))
        #expect(json["fail"]?.intValue == 7 && json["name"]?.stringValue == "clothing")
    }

    @Test func packCommandReportsSkippedFilesByNameAndReason() throws {
        let dir = try TestPaths.temporaryDirectory("pack-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.h5").path
        let result = try runGANPrep(["pack", TestPaths.fixture("images").path, "--out", out, "--size", "16"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("skipped truncated.jpg: truncated: Premature end of JPEG file"))
        #expect(result.stderr.contains("skipped bomb.png: too many pixels"))
        #expect(result.stdout.contains("skipped 7: corrupt 2, too many pixels 2, truncated 2, unsupported format 1"))
        let inspect = try runGANPrep(["inspect", out, "--grid", dir.appendingPathComponent("grid.png").path])
        #expect(inspect.status == 0 && inspect.stdout.contains("valid:       yes") && inspect.stdout.contains("15 x 16x16x3"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("grid.png").path))
        let missing = try runGANPrep(["pack", dir.appendingPathComponent("nowhere").path, "--out", out])
        #expect(missing.status == 2 && missing.stderr.contains("nowhere: no such file or directory"))
        let notData = dir.appendingPathComponent("notes.h5")
        try Data("hello".utf8).write(to: notData)
        let foreign = try runGANPrep(["inspect", notData.path])
        #expect(foreign.status == 2 && foreign.stderr.contains("not an HDF5 file"))
    }

    @Test func packReadsAFetchDirectoryWithItsDescriptionsAndURLs() throws {
        let dir = try TestPaths.temporaryDirectory("pack-fetchdir")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fetched = dir.appendingPathComponent("fetched")
        try FileManager.default.createDirectory(at: fetched.appendingPathComponent("images"), withIntermediateDirectories: true)
        var lines: [String] = []
        for (i, name) in ["coffee.jpg", "rgb.png", "coffee.jpg"].enumerated() {
            let bytes = try TestPaths.fixtureBytes("images/" + name)
            let sha = SHA256.hex(bytes)
            let file = "images/\(sha).\(name.hasSuffix("png") ? "png" : "jpg")"
            try Data(bytes).write(to: fetched.appendingPathComponent(file))
            let entry = ManifestEntry(index: i, url: "http://shop.example/\(i)", description: i == 1 ? "Hose" : "Tasse",
                                      status: i == 2 ? .duplicate : .ok, sha256: sha, file: file, attempts: 1)
            lines.append(entry.json.serialized)
        }
        lines.append(ManifestEntry(index: 3, url: "http://shop.example/3", description: "x", status: .httpError, httpCode: 404).json.serialized)
        try (lines.joined(separator: "\n") + "\n").write(to: fetched.appendingPathComponent("manifest.jsonl"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("shop.h5").path
        let result = try runGANPrep(["pack", fetched.path, "--out", out, "--size", "8", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        let reader = try DatasetReader(path: out)
        #expect(reader.count == 2)
        #expect(try reader.descriptions() == ["Tasse", "Hose"])
        #expect(result.stdout.contains("skipped 1: duplicate 1"))
    }

    /// The per-image string datasets are chunked by 1,024 strings, not one:
    /// one-string chunks made libhdf5 spend about 270 MiB reading 40,000 descriptions.
    @Test func stringDatasetsAreChunkedByThousandsOfStrings() throws {
        let dir = try TestPaths.temporaryDirectory("pack-string-chunks")
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try packFixtures([], into: dir)
        let script = "import h5py, sys\nf = h5py.File(sys.argv[1], 'r')\nprint([f[k].chunks[0] for k in ('descriptions', 'urls', 'sha256')])"
        let python = try ProcessRunner.run("/usr/bin/python3", ["-c", script, out])
        #expect(python.status == 0 && python.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[1024, 1024, 1024]",
                "\(python.stdout) \(python.stderr)")
    }
}
