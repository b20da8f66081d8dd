import DatasetFile
import Foundation
import Testing
import _TestSupport

/// Files written the way GAPCV writes them (by h5py, as GAPCV does), read back
/// by ganprep's reader, values mapped to [-1, 1].
@Suite struct GAPCVReadTests {
    /// Writes a GAPCV-style file with h5py: two label groups of 3 and 2 images.
    func writeWithH5py(_ path: String, flatten: Bool, dtype: String, gray: Bool) throws {
        let script = """
            import h5py, numpy as np, sys
            path, flatten, dtype, gray = sys.argv[1], sys.argv[2] == "1", sys.argv[3], sys.argv[4] == "1"
            h, w, c = 4, 6, 1 if gray else 3
            with h5py.File(path, "w") as f:
                for k, v in dict(name="shop", author="", source="", description="", license="", date="2020-01-01",
                                 dtype="<class 'numpy.%s'>" % dtype, channel="['K']" if gray else "['R', 'G', 'B']",
                                 count=5, time=0.5, shape=(h, w), color=0 if gray else 1, fail=0).items():
                    f.attrs[k] = v
                f.attrs["class"] = str({"Kleid": 0, "Hose": 1})
                for label, (name, n) in enumerate([("Kleid", 3), ("Hose", 2)]):
                    shape = (n, h * w * c) if flatten else ((n, h, w) if gray else (n, h, w, c))
                    if dtype == "uint8":
                        data = np.full(shape, 51 * (label + 1), dtype=np.uint8)
                    else:
                        data = np.full(shape, 0.25 * (label + 1), dtype=np.float32)
                    g = f.create_group(name)
                    d = g.create_dataset("data", data=data)
                    d.attrs["count"], d.attrs["label"], d.attrs["time"] = n, label, 0.1
            """
        let result = try ProcessRunner.run("/usr/bin/python3", ["-c", script, path, flatten ? "1" : "0", dtype, gray ? "1" : "0"])
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test(arguments: [(true, "uint8", false), (false, "uint8", true), (false, "float32", false), (true, "float32", true)])
    func gapcvFilesReadAsImagesInMinusOneToOne(flatten: Bool, dtype: String, gray: Bool) throws {
        let dir = try TestPaths.temporaryDirectory("gapcv-read")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("shop.h5").path
        try writeWithH5py(path, flatten: flatten, dtype: dtype, gray: gray)
        let reader = try DatasetReader(path: path)
        #expect(reader.format == .gapcv && reader.count == 5)
        #expect(reader.height == 4 && reader.width == 6 && reader.channels == (gray ? 1 : 3))
        #expect(try reader.descriptions() == ["Kleid", "Kleid", "Kleid", "Hose", "Hose"])
        var values = [Float](repeating: 0, count: 5 * reader.sampleSize)
        try values.withUnsafeMutableBufferPointer { try reader.read(start: 0, count: 5, into: $0) }
        // uint8 51 and 102 -> 51/127.5 - 1 and 102/127.5 - 1; floats 0.25 and 0.5 in [0, 1] -> -0.5 and 0.
        let expected: (Float, Float) = dtype == "uint8" ? (51 / 127.5 - 1, 102 / 127.5 - 1) : (-0.5, 0)
        #expect(abs(values[0] - expected.0) < 1e-5 && abs(values[3 * reader.sampleSize] - expected.1) < 1e-5)
        // A read across the two groups.
        var middle = [Float](repeating: 0, count: 2 * reader.sampleSize)
        try middle.withUnsafeMutableBufferPointer { try reader.read(start: 2, count: 2, into: $0) }
        #expect(abs(middle[0] - expected.0) < 1e-5 && abs(middle[reader.sampleSize] - expected.1) < 1e-5)
    }
}
