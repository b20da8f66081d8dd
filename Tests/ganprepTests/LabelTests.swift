import DatasetFile
import Foundation
import Records
import Support
import Testing
import _TestSupport

/// Class labels written by `pack` and read back by h5py and ganprep.
@Suite struct LabelTests {
    /// A fetch output directory whose records have these descriptions and
    /// extra fields (images reused from the fixtures).
    func fetchDirectory(_ records: [(description: String, fields: JSONValue)], in dir: URL) throws -> URL {
        let fetched = dir.appendingPathComponent("fetched")
        try FileManager.default.createDirectory(at: fetched.appendingPathComponent("images"), withIntermediateDirectories: true)
        var lines: [String] = []
        for (i, record) in records.enumerated() {
            let name = i % 2 == 0 ? "rgb.png" : "coffee.jpg"
            let bytes = try TestPaths.fixtureBytes("images/" + name)
            let sha = SHA256.hex(bytes)
            let file = "images/\(sha).\(name.hasSuffix("png") ? "png" : "jpg")"
            try Data(bytes).write(to: fetched.appendingPathComponent(file))
            lines.append(ManifestEntry(index: i, url: "http://shop.example/\(i)", description: record.description, status: .ok,
                                       sha256: sha, file: file, attempts: 1, extra: record.fields).json.serialized)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: fetched.appendingPathComponent("manifest.jsonl"), atomically: true, encoding: .utf8)
        return fetched
    }

    /// `/labels`, `/label_names` and `label_source` as h5py reads them, or nil when absent.
    func h5pyLabels(_ path: String) throws -> (labels: [Int], names: [String], source: String, dtype: String)? {
        let script = """
            import h5py, json, sys
            f = h5py.File(sys.argv[1], "r")
            if "labels" not in f: print("null"); sys.exit(0)
            print(json.dumps({"labels": [int(v) for v in f["labels"][:]], "dtype": str(f["labels"].dtype),
                              "names": [n.decode() if isinstance(n, bytes) else n for n in f["label_names"][:]],
                              "source": f.attrs["label_source"]}))
            """
        let result = try ProcessRunner.run("/usr/bin/python3", ["-c", script, path])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONParser.parse(Array(result.stdout.utf8))
        guard case .object = json else { return nil }
        func array(_ key: String) -> [JSONValue] { if case let .array(values)? = json[key] { return values } else { return [] } }
        return (array("labels").compactMap(\.intValue), array("names").compactMap(\.stringValue),
                json["source"]?.stringValue ?? "", json["dtype"]?.stringValue ?? "")
    }

    func pack(_ input: URL, _ extra: [String], dir: URL, name: String) throws -> (path: String, stdout: String) {
        let out = dir.appendingPathComponent(name).path
        let result = try runGANPrep(["pack", input.path, "--out", out, "--size", "8", "--quiet"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return (out, result.stdout)
    }

    @Test func descriptionsBecomeSortedClassesThatH5pyAndTheReaderSee() throws {
        let dir = try TestPaths.temporaryDirectory("labels-description")
        defer { try? FileManager.default.removeItem(at: dir) }
        let descriptions = ["Hose", "Tasse", "Hose", "Schuh", "Tasse", "Hose"]
        let fetched = try fetchDirectory(descriptions.map { ($0, .object([])) }, in: dir)
        let (out, stdout) = try pack(fetched, [], dir: dir, name: "d.h5")
        #expect(stdout.contains("labels: 3 classes from description"), "\(stdout)")
        let seen = try #require(try h5pyLabels(out))
        #expect(seen.names == ["Hose", "Schuh", "Tasse"] && seen.labels == [0, 2, 0, 1, 2, 0])
        #expect(seen.source == "description" && seen.dtype == "int32")
        let reader = try DatasetReader(path: out)
        #expect(try reader.labelNames() == ["Hose", "Schuh", "Tasse"] && reader.labels() == [0, 2, 0, 1, 2, 0])
        let inspect = try runGANPrep(["inspect", out])
        #expect(inspect.status == 0 && inspect.stdout.contains("3 classes: Hose 3, Schuh 1, Tasse 2"), "\(inspect.stdout)")
    }

    @Test func aRecordFieldGivesTheLabelsAndAMissingOneGivesNone() throws {
        let dir = try TestPaths.temporaryDirectory("labels-field")
        defer { try? FileManager.default.removeItem(at: dir) }
        let styles = ["wool", "silk", "wool", "wool"]
        let records = styles.enumerated().map { (i, style) in
            ("free text number \(i)", JSONValue.object([("style", .string(style)), ("size", .number(Double(36 + 2 * (i % 2))))]))
        }
        let fetched = try fetchDirectory(records, in: dir)
        let byStyle = try pack(fetched, ["--labels", "field:style"], dir: dir, name: "style.h5")
        let style = try #require(try h5pyLabels(byStyle.path))
        #expect(style.names == ["silk", "wool"] && style.labels == [1, 0, 1, 1] && style.source == "field:style")
        let bySize = try pack(fetched, ["--labels", "field:size"], dir: dir, name: "size.h5")
        #expect(try h5pyLabels(bySize.path)?.names == ["36", "38"])
        let missing = try pack(fetched, ["--labels", "field:colour"], dir: dir, name: "colour.h5")
        #expect(missing.stdout.contains("labels: none (4 of 4 images have no values of field colour)"), "\(missing.stdout)")
        #expect(try h5pyLabels(missing.path) == nil)
        // The free-text descriptions of the same records give no labels either.
        let described = try pack(fetched, [], dir: dir, name: "described.h5")
        #expect(described.stdout.contains("4 of 4 distinct descriptions hold a single image"), "\(described.stdout)")
        let describedLabels = try h5pyLabels(described.path)
        #expect(try describedLabels == nil && DatasetReader(path: described.path).labels() == nil)
    }

    @Test func tooManyClassesOrLabelsNoneWriteNoLabels() throws {
        let dir = try TestPaths.temporaryDirectory("labels-limits")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fetched = try fetchDirectory(["a", "b", "c", "a", "b", "c"].map { ($0, .object([])) }, in: dir)
        let capped = try pack(fetched, ["--max-classes", "2"], dir: dir, name: "capped.h5")
        #expect(capped.stdout.contains("3 distinct descriptions, more than --max-classes 2"), "\(capped.stdout)")
        #expect(try h5pyLabels(capped.path) == nil)
        let none = try pack(fetched, ["--labels", "none"], dir: dir, name: "none.h5")
        let noneLabels = try h5pyLabels(none.path)
        #expect(none.stdout.contains("labels: none (--labels none)") && noneLabels == nil)
        let bad = try runGANPrep(["pack", fetched.path, "--out", dir.appendingPathComponent("x.h5").path, "--labels", "fields:a"])
        #expect(bad.status == 2 && bad.stderr.contains("--labels"), "\(bad.stderr)")
    }

    @Test func aFoldersSubFoldersAreItsClasses() throws {
        let dir = try TestPaths.temporaryDirectory("labels-folder")
        defer { try? FileManager.default.removeItem(at: dir) }
        let images = dir.appendingPathComponent("in")
        for (folder, names) in [("shoes", ["rgb.png", "coffee.jpg"]), ("bags", ["chelsea.jpg"])] {
            try FileManager.default.createDirectory(at: images.appendingPathComponent(folder), withIntermediateDirectories: true)
            for name in names {
                try Data(TestPaths.fixtureBytes("images/" + name)).write(to: images.appendingPathComponent(folder + "/" + name))
            }
        }
        let packed = try pack(images, [], dir: dir, name: "folders.h5")
        let seen = try #require(try h5pyLabels(packed.path))
        // Sorted paths: bags/chelsea.jpg, shoes/coffee.jpg, shoes/rgb.png.
        #expect(seen.names == ["bags", "shoes"] && seen.labels == [0, 1, 1] && seen.source == "folder")
        let field = try runGANPrep(["pack", images.path, "--out", dir.appendingPathComponent("f.h5").path, "--labels", "field:x"])
        #expect(field.status == 2 && field.stderr.contains("needs a fetch output directory"), "\(field.stderr)")
    }

    @Test func labelsOutsideTheNamesAreRefusedNamingTheImage() throws {
        let dir = try TestPaths.temporaryDirectory("labels-damaged")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fetched = try fetchDirectory(["a", "b", "a", "b"].map { ($0, .object([])) }, in: dir)
        let packed = try pack(fetched, [], dir: dir, name: "d.h5")
        let damage = try ProcessRunner.run("/usr/bin/python3", ["-c", "import h5py, sys\nf = h5py.File(sys.argv[1], 'r+')\nf['labels'][2] = 7", packed.path])
        #expect(damage.status == 0, "\(damage.stderr)")
        #expect { try DatasetReader(path: packed.path).labels() } throws: { error in
            guard case DatasetError.invalid(_, .labelOutOfRange(image: 2, label: 7, classes: 2)) = error else { return false }
            return "\(error)".contains("image 2 has label 7, outside the 2 label names")
        }
        let inspect = try runGANPrep(["inspect", packed.path])
        #expect(inspect.status == 2 && inspect.stderr.contains("image 2 has label 7"), "\(inspect.stderr)")
    }
}
