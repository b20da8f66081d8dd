import Foundation
import Testing
import _TestSupport

/// A merged dataset whose part is damaged after the merge is refused by
/// every command that reads it, naming the part: libhdf5 itself reads the
/// rows of a part it cannot open as the fill value, which must never pass
/// as images.
@Suite struct MergedPartsTests {
    /// Two parts (16x16x1, labelled) packed as shards and merged into `merged.h5`; the parts' paths.
    func merged(in dir: URL) throws -> (merged: String, parts: [String]) {
        let folder = try TestPaths.labelledDemoFolder(60, into: dir)
        let parts = try (0..<2).map { i -> String in
            let out = dir.appendingPathComponent("part-\(i).h5").path
            let packed = try runGANPrep(["pack", folder.path, "--shard", "\(i)/2", "--out", out, "--size", "16", "--channels", "1", "--quiet"])
            #expect(packed.status == 0, "\(packed.stderr)")
            return out
        }
        let merged = dir.appendingPathComponent("merged.h5").path
        let result = try runGANPrep(["merge"] + parts + ["--out", merged])
        #expect(result.status == 0, "\(result.stderr)")
        return (merged, parts)
    }

    /// Every reading command on `merged`: each must exit 2 naming `part`.
    func expectRefused(_ merged: String, part: String, damage: String, dir: URL) throws {
        let run = dir.appendingPathComponent("run-\(UUID().uuidString)").path
        let commands: [[String]] = [
            ["inspect", merged],
            ["train", merged, "--model", "mlp", "--steps", "1", "--out", run, "--quiet"],
            ["train", merged, "--model", "mlp", "--stream", "--steps", "1", "--out", run + "-stream", "--quiet"],
            ["classifier", "train", merged, "--epochs", "1", "--out", dir.appendingPathComponent("c-\(UUID().uuidString).h5").path, "--quiet"],
        ]
        let name = (part as NSString).lastPathComponent
        for command in commands {
            let result = try runGANPrep(command)
            #expect(result.status == 2 && result.stderr.contains(name), "\(damage): \(command[0]) \(command[1]): \(result.status) \(result.stderr)")
        }
    }

    @Test func anEmptiedTruncatedReplacedOrShorterPartIsNamedByEveryCommand() throws {
        let dir = try TestPaths.temporaryDirectory("merged-parts")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (merged, parts) = try merged(in: dir)
        let part = parts[1], saved = part + ".saved"
        try FileManager.default.copyItem(atPath: part, toPath: saved)
        func restore() throws {
            try? FileManager.default.removeItem(atPath: part)
            try FileManager.default.copyItem(atPath: saved, toPath: part)
        }
        // Emptied to 0 bytes.
        try Data().write(to: URL(fileURLWithPath: part))
        try expectRefused(merged, part: part, damage: "emptied", dir: dir)
        // Replaced by a directory.
        try FileManager.default.removeItem(atPath: part)
        try FileManager.default.createDirectory(atPath: part, withIntermediateDirectories: false)
        try expectRefused(merged, part: part, damage: "a directory", dir: dir)
        // Truncated to half its size.
        try restore()
        let size = try FileManager.default.attributesOfItem(atPath: part)[.size] as! Int
        #expect(truncate(part, off_t(size / 2)) == 0)
        try expectRefused(merged, part: part, damage: "truncated", dir: dir)
        // Replaced by a valid file with fewer images than the merge maps.
        try restore()
        let few = try TestPaths.linkDemoImages(5, into: dir.appendingPathComponent("few"))
        let packed = try runGANPrep(["pack", few.path, "--out", part, "--size", "16", "--channels", "1", "--quiet"])
        #expect(packed.status == 0, "\(packed.stderr)")
        try expectRefused(merged, part: part, damage: "shorter", dir: dir)
        // Whole again: everything reads.
        try restore()
        #expect(try runGANPrep(["inspect", merged]).status == 0)
    }

    @Test func rowsAPartCannotGiveReadAsNaNAndAreRefusedWithThePartNamed() throws {
        let dir = try TestPaths.temporaryDirectory("merged-fill")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (merged, parts) = try merged(in: dir)
        // libhdf5's own view: the merged /images is filled with NaN, so a missing part reads as NaN, not as black images.
        let script = """
            import h5py, sys, numpy as np, os
            f = h5py.File(sys.argv[1], "r")
            print(np.isnan(f["images"].fillvalue))
            os.rename(sys.argv[2], sys.argv[2] + ".away")
            g = h5py.File(sys.argv[1], "r")
            print(bool(np.isnan(g["images"][-1]).all()))
            os.rename(sys.argv[2] + ".away", sys.argv[2])
            """
        let python = try ProcessRunner.run("/usr/bin/python3", ["-c", script, merged, parts[1]])
        #expect(python.status == 0 && python.stdout == "True\nTrue\n", "\(python.stdout) \(python.stderr)")
        // A row that reads back as NaN (here: stored so in the part) is refused with the part named, in memory and streamed.
        let damage = try ProcessRunner.run("/usr/bin/python3", ["-c", "import h5py, sys\nf = h5py.File(sys.argv[1], 'r+')\nf['images'][3] = float('nan')", parts[1]])
        #expect(damage.status == 0, "\(damage.stderr)")
        for extra in [[], ["--stream"]] {
            let result = try runGANPrep(["train", merged, "--model", "mlp", "--epochs", "1", "--batch", "60", "--quiet",
                                         "--out", dir.appendingPathComponent("run\(extra.count)").path] + extra)
            #expect(result.status == 2 && result.stderr.contains("part-1.h5") && result.stderr.contains("NaN"), "\(extra): \(result.stderr)")
        }
    }
}
