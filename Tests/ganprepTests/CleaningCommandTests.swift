import Pack
import Foundation
import Imaging
import Records
import Testing
import _TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// pack's filters and duplicate removal on real photos transformed by real
/// encoders (Pillow), the pack manifest, and inspect's views of them.
@Suite struct CleaningCommandTests {
    func ok(_ arguments: [String]) throws -> (stdout: String, stderr: String) {
        let result = try runGANPrep(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return (result.stdout, result.stderr)
    }

    func python(_ script: String, _ arguments: [String]) throws -> String {
        let result = try ProcessRunner.run("/usr/bin/python3", ["-c", script] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout
    }

    func manifest(_ path: String) throws -> [JSONValue] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { try JSONParser.parse(Array($0.utf8)) }
    }

    /// The photo transforms, each a real encoder's output, in input order (sorted names).
    static let transforms = """
        import sys, shutil
        from PIL import Image, ImageOps
        out, fixtures = sys.argv[1], sys.argv[2]
        photo = Image.open(fixtures + "/images/chelsea.jpg").convert("RGB")
        photo.save(out + "/a_original.png")
        photo.save(out + "/b_quality60.jpg", quality=60)
        photo.resize((photo.width // 2, photo.height // 2), Image.LANCZOS).save(out + "/c_half.jpg", quality=90)
        w, h = photo.size
        photo.crop((w * 2 // 100, h * 2 // 100, w - w * 2 // 100, h - h * 2 // 100)).save(out + "/d_crop2.jpg", quality=90)
        Image.open(out + "/a_original.png").save(out + "/e_png_to.jpg", quality=85)
        ImageOps.mirror(photo).save(out + "/f_flipped.jpg", quality=90)
        Image.open(fixtures + "/images/coffee.jpg").convert("RGB").save(out + "/g_coffee.jpg", quality=90)
        # Two different sneakers (Fashion-MNIST images 6 and 14): the same kind of photo, 9 bits apart.
        shutil.copy(fixtures + "/fashion-mnist/images/00006.png", out + "/h_sneaker.png")
        shutil.copy(fixtures + "/fashion-mnist/images/00014.png", out + "/i_other_sneaker.png")
        """

    @Test func nearDuplicatesAreCaughtAndDifferentPhotosKept() throws {
        let dir = try TestPaths.temporaryDirectory("dedup")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("photos")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        _ = try python(Self.transforms, [input.path, TestPaths.fixture("").path])
        let one = dir.appendingPathComponent("one.h5").path, two = dir.appendingPathComponent("two.h5").path
        let packed = try ok(["pack", input.path, "--out", one, "--size", "32", "--dedup", "near", "--workers", "1", "--quiet"])
        #expect(packed.stdout.contains("near-duplicate 4"), "\(packed.stdout)")
        _ = try ok(["pack", input.path, "--out", two, "--size", "32", "--dedup", "near", "--workers", "3", "--quiet"])
        let lines = try manifest(one + ".pack.jsonl")
        #expect(try manifest(two + ".pack.jsonl").map(\.serialized) == lines.map(\.serialized), "the same manifest whatever the worker count")
        let byName = Dictionary(uniqueKeysWithValues: lines.map { ($0["name"]?.stringValue ?? "", $0) })
        for name in ["b_quality60.jpg", "c_half.jpg", "d_crop2.jpg", "e_png_to.jpg"] {
            #expect(byName[name]?["dropped"] == .string("near-duplicate"), "\(name) must be caught: \(byName[name]?.serialized ?? "-")")
            #expect(byName[name]?["of_name"] == .string("a_original.png") && byName[name]?["of"] == .number(0))
            #expect((byName[name]?["distance"]?.intValue ?? 99) <= 6)
        }
        for (name, index) in [("a_original.png", 0), ("f_flipped.jpg", 1), ("g_coffee.jpg", 2), ("h_sneaker.png", 3), ("i_other_sneaker.png", 4)] {
            #expect(byName[name]?["index"] == .number(Double(index)), "\(name) must be kept: \(byName[name]?.serialized ?? "-")")
        }
        #expect(byName["c_half.jpg"]?["width"] == .number(225) && byName["c_half.jpg"]?["height"] == .number(150), "the source's size")

        // The same file whatever the worker count; the counts in its attributes; the hash PIL computes on the gray image.
        let check = """
            import h5py, json, sys
            import numpy as np
            from PIL import Image
            a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
            same = bool(np.array_equal(a["images"][:], b["images"][:]))
            counts = json.loads(a.attrs["counts_by_reason"])
            # Area averaging to 9x8, exactly: every pixel repeated 8 times down and 9 across, then 9x8 block means.
            pixels = np.asarray(Image.open(sys.argv[3]).convert("L"), dtype=np.float64)
            h, w = pixels.shape
            big = np.repeat(np.repeat(pixels, 8, axis=0), 9, axis=1)
            gray = big.reshape(8, h, 9, w).mean(axis=(1, 3))
            bits = (gray[:, :-1] < gray[:, 1:]).flatten()
            value = sum(1 << i for i, bit in enumerate(bits) if bit)
            print(json.dumps({"same": same, "counts": counts, "count": int(a["images"].shape[0]), "dhash": "%016x" % value}))
            """
        let read = try JSONParser.parse(Array(try python(check, [one, two, input.appendingPathComponent("h_sneaker.png").path]).utf8))
        #expect(read["same"] == .bool(true) && read["count"] == .number(5))
        #expect(read["counts"]?["kept"] == .number(5) && read["counts"]?["near-duplicate"] == .number(4), "\(read.serialized)")
        #expect(byName["h_sneaker.png"]?["dhash"] == read["dhash"], "dHash of a gray PNG: ours \(byName["h_sneaker.png"]?["dhash"]?.serialized ?? "-"), PIL's \(read["dhash"]?.serialized ?? "-")")

        // inspect: the counts, the statistics, and the dropped images beside the ones they duplicate.
        let grid = dir.appendingPathComponent("dropped.png").path
        let inspected = try ok(["inspect", one, "--stats", "--grid-dropped", grid]).stdout
        #expect(inspected.contains("kept 5; left out: near-duplicate 4"), "\(inspected)")
        #expect(inspected.contains("sources:     kept images by the shorter side of their source (px): <32 2, 32-63 0, 64-127 0, 128-255 0, 256-511 3"), "\(inspected)")
        #expect(inspected.contains("pixels:      channel 0 mean"), "\(inspected)")
        let image = try ImageDecoder().decode([UInt8](Data(contentsOf: URL(fileURLWithPath: grid))))
        #expect(image.height == 4 * 32 * 3 + 5 * 2, "four rows of pairs: \(image.width)x\(image.height)")
    }

    @Test func filtersRefuseJustAboveTheirThresholds() throws {
        let dir = try TestPaths.temporaryDirectory("filters")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in")
        try FileManager.default.createDirectory(at: input, withIntermediateDirectories: true)
        _ = try python("""
            import sys
            import numpy as np
            from PIL import Image
            out = sys.argv[1]
            rng = np.random.default_rng(1)
            def noise(w, h): return Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8))
            noise(31, 40).save(out + "/size_31.png"); noise(32, 40).save(out + "/size_32.png")
            noise(60, 20).save(out + "/aspect_300.png"); noise(61, 20).save(out + "/aspect_305.png")
            # Two gray levels in halves: standard deviation (110 - 100) / 255 = 0.0392 after x / 127.5 - 1.
            a = np.full((32, 32), 100, dtype=np.uint8); a[:, 16:] = 110
            Image.fromarray(a).save(out + "/std_0392.png")
            Image.fromarray(np.full((32, 32), 200, dtype=np.uint8)).save(out + "/std_0.png")
            """, [input.path])
        func fates(_ flags: [String]) throws -> [String: String] {
            let out = dir.appendingPathComponent("f.h5").path
            _ = try ok(["pack", input.path, "--out", out, "--size", "32", "--resize-mode", "stretch", "--channels", "1", "--quiet"] + flags)
            return Dictionary(uniqueKeysWithValues: try manifest(out + ".pack.jsonl").map {
                ($0["name"]?.stringValue ?? "", $0["dropped"]?.stringValue ?? "kept")
            })
        }
        let size = try fates(["--min-size", "32"])
        #expect(size["size_31.png"] == "too small" && size["size_32.png"] == "kept" && size["aspect_300.png"] == "too small")
        let aspect = try fates(["--max-aspect", "3"])
        #expect(aspect["aspect_300.png"] == "kept" && aspect["aspect_305.png"] == "aspect" && aspect["size_31.png"] == "kept")
        let below = try fates(["--min-std", "0.039"])
        #expect(below["std_0392.png"] == "kept" && below["std_0.png"] == "blank")
        let above = try fates(["--min-std", "0.0395"])
        #expect(above["std_0392.png"] == "blank" && above["size_31.png"] == "kept")
        // Without --min-size, enlarging most images is worth a warning.
        let warned = try ok(["pack", input.path, "--out", dir.appendingPathComponent("w.h5").path, "--size", "64", "--quiet"])
        #expect(warned.stderr.contains("are smaller than 64 px on their shorter side and were enlarged; --min-size 64"), "\(warned.stderr)")
        let refused = try runGANPrep(["pack", input.path, "--out", dir.appendingPathComponent("x.h5").path, "--dedup", "near:99"])
        #expect(refused.status == 2 && refused.stderr.contains("--dedup"), "\(refused.stderr)")
    }

    @Test func killDashNineThenRerunWritesTheUninterruptedFileWithDedup() throws {
        let dir = try TestPaths.temporaryDirectory("dedup-kill")
        defer { try? FileManager.default.removeItem(at: dir) }
        // 1,500 demo images, each also present as a copy: half are exact duplicates, and similar products near ones.
        let input = try TestPaths.linkDemoImages(1500, into: dir)
        for name in try FileManager.default.contentsOfDirectory(atPath: input.path) where name.hasPrefix("0") {
            try FileManager.default.createSymbolicLink(atPath: input.path + "/copy-" + name, withDestinationPath: input.path + "/" + name)
        }
        let common = ["pack", input.path, "--size", "32", "--channels", "1", "--dedup", "near:3", "--workers", "1", "--quiet"]
        let reference = dir.appendingPathComponent("reference.h5").path
        _ = try ok(common + ["--out", reference])
        let out = dir.appendingPathComponent("out.h5").path
        let process = Process()
        process.executableURL = ProcessRunner.productsDirectory.appendingPathComponent("ganprep")
        process.arguments = common + ["--out", out]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Killed once it has decided the fate of some images (the partial pack manifest has lines).
        let deadline = Date().addingTimeInterval(60)
        func written() -> Bool {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            return names.contains { name in
                name.hasPrefix("out.h5.pack.jsonl.") && name.hasSuffix(".partial")
                    && ((try? FileManager.default.attributesOfItem(atPath: dir.path + "/" + name)[.size] as? Int) ?? 0) > 0
            }
        }
        while Date() < deadline && !written() { usleep(2000) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the run finished before it could be killed")
        #expect(!FileManager.default.fileExists(atPath: out))
        _ = try ok(common + ["--out", out])
        #expect(try manifest(out + ".pack.jsonl").map(\.serialized) == manifest(reference + ".pack.jsonl").map(\.serialized))
        let same = try python("""
            import h5py, sys
            import numpy as np
            a, b = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
            print(np.array_equal(a["images"][:], b["images"][:]), a["images"].shape[0], a.attrs["counts_by_reason"])
            """, [out, reference])
        #expect(same.hasPrefix("True "), "\(same)")
        // A kept image's copy is an exact duplicate of it; a dropped one's, a near-duplicate of what it resembled.
        let counts = try JSONParser.parse(Array((same.split(separator: " ", maxSplits: 2).last.map(String.init) ?? "").utf8))
        let kept = counts["kept"]?.intValue ?? 0, exact = counts["duplicate"]?.intValue ?? 0, near = counts["near-duplicate"]?.intValue ?? 0
        #expect(exact == kept && kept + exact + near == 3000 && near > 0, "\(same)")
        #expect(!((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).contains { $0.hasSuffix(".partial") })
    }
}
