import Foundation
import Records
import Testing
import _TestSupport

/// `eval`'s floor (real against real) and `eval` of a file of generated images.
@Suite struct EvalFloorTests {
    func evalJSON(_ arguments: [String]) throws -> JSONValue {
        let result = try runGANPrep(["eval"] + arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONParser.parse(Array((result.stdout.split(separator: "\n").last.map(String.init) ?? "").utf8))
    }

    @Test func theFloorIsFarBelowNoiseAndASamplesFileScoresAsTheCheckpointThatWroteIt() throws {
        let dir = try TestPaths.temporaryDirectory("eval-floor")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = { (name: String) in dir.appendingPathComponent(name).path }
        let folder = try TestPaths.labelledDemoFolder(400, into: dir)
        for arguments in [["pack", folder.path, "--out", path("d.h5"), "--size", "16", "--channels", "1", "--quiet"],
                          ["classifier", "train", path("d.h5"), "--out", path("c.h5"), "--epochs", "2", "--quiet"],
                          ["train", path("d.h5"), "--model", "mlp", "--steps", "10", "--out", path("run"), "--quiet"]] {
            let result = try runGANPrep(arguments)
            #expect(result.status == 0, "\(arguments[0]): \(result.stderr)")
        }
        // Noise images in ganprep's layout, written by h5py: another "generator".
        let noise = try ProcessRunner.run("/usr/bin/python3", ["-c", """
            import h5py, numpy as np, sys
            h5py.File(sys.argv[1], 'w')['images'] = np.random.default_rng(0).uniform(-1, 1, (400, 16, 16, 1)).astype(np.float32)
            """, path("noise.h5")])
        #expect(noise.status == 0, "\(noise.stderr)")
        let common = ["--data", path("d.h5"), "--classifier", path("c.h5"), "--count", "200"]
        let againstNoise = try evalJSON([path("noise.h5")] + common)
        let floor = try #require(againstNoise["fid_floor"]?.doubleValue), noiseFID = try #require(againstNoise["fid"]?.doubleValue)
        #expect(againstNoise["floor_size"]?.intValue == 200 && againstNoise["generated"]?.intValue == 200)
        #expect(floor > 0 && floor < noiseFID / 10, "floor \(floor) against noise's \(noiseFID)")

        let fromCheckpoint = try evalJSON([path("run"), "--samples-out", path("samples.h5")] + common)
        let fromFile = try evalJSON([path("samples.h5")] + common)
        for key in ["fid", "kid_mean", "kid_std", "precision", "recall", "fid_floor", "generated", "real"] {
            #expect(fromCheckpoint[key] != nil && fromCheckpoint[key] == fromFile[key], "\(key): \(String(describing: fromCheckpoint[key])) against \(String(describing: fromFile[key]))")
        }
        #expect(fromCheckpoint["fid_floor"] == againstNoise["fid_floor"], "the floor depends on the real data only")
        // Text output names the floor beside the FID.
        let text = try runGANPrep(["eval", path("samples.h5")] + common)
        #expect(text.stdout.contains("floor (real vs real, 200 vs 200 images"), "\(text.stdout)")
    }
}
