import DatasetFile
import Foundation
import Records
import Testing
import _TestSupport

@Suite struct MergeCommandTests {
    /// A folder of demo images in class folders: 30 "shirt", 29 "shoe", one
    /// "bag" (so only one shard has bags), and a copy of a shirt under
    /// another name (a duplicate that lands in another shard).
    func classFolders(in dir: URL) throws -> URL {
        let root = dir.appendingPathComponent("classes")
        let source = TestPaths.fixture("fashion-mnist/images")
        let names = try FileManager.default.contentsOfDirectory(atPath: source.path).sorted().prefix(60)
        for (i, name) in names.enumerated() {
            let label = i == 59 ? "bag" : i % 2 == 0 ? "shirt" : "shoe"
            let folder = root.appendingPathComponent(label)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(name), withDestinationURL: source.appendingPathComponent(name))
        }
        try FileManager.default.createSymbolicLink(at: root.appendingPathComponent("shirt/zz-copy.png"),
                                                   withDestinationURL: source.appendingPathComponent(names[0]))
        return root
    }

    func packShards(_ input: URL, count: Int, into dir: URL, size: String = "32") throws -> [String] {
        try (0..<count).map { i in
            let out = dir.appendingPathComponent("part-\(i).h5").path
            let packed = try runGANPrep(["pack", input.path, "--shard", "\(i)/\(count)", "--out", out, "--size", size, "--channels", "1", "--quiet"])
            #expect(packed.status == 0, "\(packed.stderr)")
            return out
        }
    }

    @Test func mergedImagesAreTheShardsJoinedWithDuplicatesDroppedAndLabelsRemapped() throws {
        let dir = try TestPaths.temporaryDirectory("merge")
        defer { try? FileManager.default.removeItem(at: dir) }
        let parts = try packShards(try classFolders(in: dir), count: 3, into: dir)
        let merged = dir.appendingPathComponent("merged/all.h5").path
        try FileManager.default.createDirectory(atPath: dir.appendingPathComponent("merged").path, withIntermediateDirectories: true)
        let result = try runGANPrep(["merge"] + parts + ["--out", merged])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("60 images, 1 duplicates dropped"), "\(result.stdout)")
        let copied = dir.appendingPathComponent("copied.h5").path
        #expect(try runGANPrep(["merge"] + parts + ["--out", copied, "--copy", "--compression", "gzip"]).status == 0)

        // h5py, from another working directory, sees one array: the parts'
        // rows in order, less the rows whose digest came earlier.
        let script = """
            import h5py, numpy as np, sys, json
            parts = [h5py.File(p, "r") for p in sys.argv[3:]]
            seen, rows, labels, urls = set(), [], [], []
            for p in parts:
                names = [n.decode() if isinstance(n, bytes) else n for n in p["label_names"][:]]
                for i, digest in enumerate(p["sha256"][:]):
                    if digest in seen: continue
                    seen.add(digest)
                    rows.append(p["images"][i]); labels.append(names[p["labels"][i]]); urls.append(p["urls"][i])
            out = {}
            for name in sys.argv[1:3]:
                m = h5py.File(name, "r")
                mnames = [n.decode() if isinstance(n, bytes) else n for n in m["label_names"][:]]
                out[name] = dict(virtual=bool(m["images"].is_virtual), shape=list(m["images"].shape),
                                 images=bool(np.array_equal(m["images"][:], np.stack(rows))),
                                 labels=[mnames[k] for k in m["labels"][:]] == labels, names=mnames,
                                 urls=list(m["urls"][:]) == urls, dropped=int(m.attrs["duplicates_dropped"]))
            print(json.dumps(out))
            """
        let python = try ProcessRunner.run("/usr/bin/python3", ["-c", script, merged, copied] + parts)
        #expect(python.status == 0, "\(python.stderr)")
        let report = try JSONParser.parse(Array(python.stdout.utf8))
        for (name, virtual) in [(merged, true), (copied, false)] {
            let r = report[name]
            #expect(r?["virtual"]?.boolValue == virtual, "\(name)")
            #expect(r?["shape"] == .array([.number(60), .number(32), .number(32), .number(1)]))
            #expect(r?["images"]?.boolValue == true, "\(name): images are not the parts' rows joined")
            #expect(r?["labels"]?.boolValue == true && r?["urls"]?.boolValue == true, "\(name)")
            #expect(r?["names"] == .array([.string("bag"), .string("shirt"), .string("shoe")]))
            #expect(r?["dropped"] == .number(1))
        }

        // train's streaming reader sees every image once per epoch, a source chunk at a time.
        let reader = try DatasetReader(path: merged)
        let partChunk = try #require(try DatasetReader(path: parts[0]).storage().first?.chunk?.first)
        #expect(reader.isVirtual && reader.chunkLength == min(partChunk, reader.count), "streamed reads a part's chunk at a time")
        var all = [Float](repeating: 0, count: reader.count * reader.sampleSize)
        try all.withUnsafeMutableBufferPointer { try reader.read(start: 0, count: reader.count, into: $0) }
        let expected = (0..<reader.count).map { i in all[(i * reader.sampleSize)..<((i + 1) * reader.sampleSize)].reduce(0, +) }.sorted()
        let stream = ChunkedBatchStream(reader: reader, batchSize: 16, seed: 3)
        for epoch in 0..<2 {
            try stream.startEpoch(epoch, skippingBatches: 0)
            var sums: [Float] = []
            var batch = [Float](repeating: 0, count: 16 * reader.sampleSize)
            while true {
                let n = try batch.withUnsafeMutableBufferPointer { try stream.nextBatch(into: $0.baseAddress!) }
                if n == 0 { break }
                for k in 0..<n { sums.append(batch[(k * reader.sampleSize)..<((k + 1) * reader.sampleSize)].reduce(0, +)) }
            }
            #expect(sums.sorted() == expected, "epoch \(epoch): not every image exactly once")
        }
    }

    @Test func partsThatDoNotAgreeAreRefusedAndAMissingPartIsNamed() throws {
        let dir = try TestPaths.temporaryDirectory("merge-refused")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try TestPaths.linkDemoImages(20, into: dir)
        let small = try packShards(input, count: 2, into: dir, size: "16")
        let large = dir.appendingPathComponent("large.h5").path
        #expect(try runGANPrep(["pack", input.path, "--out", large, "--size", "32", "--channels", "1", "--quiet"]).status == 0)
        let refused = try runGANPrep(["merge", small[0], large, "--out", dir.appendingPathComponent("x.h5").path])
        #expect(refused.status == 2 && refused.stderr.contains("32x32x1") && refused.stderr.contains("16x16x1"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.h5").path))

        let twice = try runGANPrep(["merge", small[0], small[0], "--out", dir.appendingPathComponent("x.h5").path])
        #expect(twice.status == 2 && twice.stderr.contains("given twice"), "\(twice.stderr)")
        let own = try runGANPrep(["merge", small[0], "--out", small[0]])
        #expect(own.status == 2 && own.stderr.contains("the merge's own output"), "\(own.stderr)")
        let merged = dir.appendingPathComponent("merged.h5").path
        #expect(try runGANPrep(["merge"] + small + ["--out", merged]).status == 0)
        try FileManager.default.moveItem(atPath: small[1], toPath: small[1] + ".moved")
        let inspected = try runGANPrep(["inspect", merged])
        #expect(inspected.status == 2 && inspected.stderr.contains("part-1.h5") && inspected.stderr.contains("missing"), "\(inspected.stderr)")
        let trained = try runGANPrep(["train", merged, "--model", "mlp", "--steps", "1", "--out", dir.appendingPathComponent("run").path])
        #expect(trained.status == 2 && trained.stderr.contains("part-1.h5"), "\(trained.stderr)")
    }
}
