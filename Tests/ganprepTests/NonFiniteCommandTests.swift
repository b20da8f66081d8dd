import Foundation
import Records
import Testing
import _TestSupport

/// NaN never reaches a result: data, weights or features that are not
/// finite stop eval, classifier train and train with the file named, and
/// eval's --json output stays valid JSON. Class names are distinct and
/// non-empty wherever they are read.
@Suite struct NonFiniteCommandTests {
    let dir: URL
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    init() throws {
        dir = try TestPaths.temporaryDirectory("non-finite")
        try CommandFixtures.packClassifyTrain(in: dir)
    }

    /// A copy of `source` named `name` with `statement` run on it by h5py (`f` is the file open for writing).
    func damaged(_ source: String, _ name: String, _ statement: String) throws -> String {
        try? FileManager.default.removeItem(atPath: path(name))
        try FileManager.default.copyItem(atPath: source, toPath: path(name))
        let script = "import h5py, sys, json, numpy as np\nf = h5py.File(sys.argv[1], 'r+')\n" + statement
        let result = try ProcessRunner.run("/usr/bin/python3", ["-c", script, path(name)])
        #expect(result.status == 0, "\(result.stderr)")
        return path(name)
    }

    func eval(data: String, classifier: String, json: Bool) throws -> (status: Int32, stdout: String, stderr: String) {
        try runGANPrep(["eval", path("run"), "--data", data, "--classifier", classifier, "--count", "60", "--kid-subset-size", "20"]
                       + (json ? ["--json"] : []))
    }

    @Test func nonFiniteDataOrWeightsStopEvalAndClassifierTrainWithTheFileNamed() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let nan = try damaged(path("d.h5"), "nan.h5", "f['images'][3, 2, 2, 0] = np.nan")
        let inf = try damaged(path("d.h5"), "inf.h5", "f['images'][5, 0, 0, 0] = np.inf")
        let huge = try damaged(path("d.h5"), "huge.h5", "f['images'][7] = 3e38")
        for (data, text) in [(nan, "image 3"), (inf, "image 5"), (huge, "image 7")] {
            for json in [false, true] {
                let result = try eval(data: data, classifier: path("c.h5"), json: json)
                #expect(result.status == 2 && result.stderr.contains(text) && result.stdout.isEmpty, "\(data) json \(json): \(result.status) \(result.stdout) \(result.stderr)")
            }
        }
        for data in [nan, inf] {
            let out = path("c-\((data as NSString).lastPathComponent)")
            let trained = try runGANPrep(["classifier", "train", data, "--out", out, "--epochs", "1", "--quiet"])
            #expect(trained.status == 2 && trained.stderr.contains(data) && !FileManager.default.fileExists(atPath: out), "\(trained.stderr)")
        }
        let badWeights = try damaged(path("c.h5"), "c-nan.h5", "names = []\nf.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)\nf[names[0]][...] = np.nan")
        for json in [false, true] {
            let result = try eval(data: path("d.h5"), classifier: badWeights, json: json)
            #expect(result.status == 2 && result.stderr.contains("c-nan.h5") && result.stderr.contains("NaN") && result.stdout.isEmpty, "\(result.stderr)")
        }
        // The healthy pair: figures are numbers, and --json parses.
        let good = try eval(data: path("d.h5"), classifier: path("c.h5"), json: true)
        #expect(good.status == 0, "\(good.stderr)")
        let figures = try JSONParser.parse(Array(good.stdout.utf8))
        #expect(figures["fid"]?.doubleValue?.isFinite == true && !good.stdout.contains("nan"), "\(good.stdout)")
    }

    @Test func inMemoryTrainRefusesNaNBeforeItsFirstStep() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let nan = try damaged(path("d.h5"), "nan.h5", "f['images'][41, 1, 1, 0] = np.nan")
        let run = path("nan-run")
        let result = try runGANPrep(["train", nan, "--model", "mlp", "--steps", "3", "--out", run, "--quiet"])
        #expect(result.status == 2 && result.stderr.contains("nan.h5") && result.stderr.contains("image 41"), "\(result.stderr)")
        let losses = (try? String(contentsOfFile: run + "/losses.csv", encoding: .utf8)) ?? ""
        #expect(losses.split(separator: "\n").count <= 1, "steps were taken: \(losses)")
    }

    @Test func repeatedOrEmptyClassNamesAreRefusedWithTheNamesGiven() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let repeated = try damaged(path("d.h5"), "repeated.h5", """
            names = [n.decode() if isinstance(n, bytes) else n for n in f['label_names'][:]]
            names[1] = names[0]
            del f['label_names']
            f.create_dataset('label_names', data=names, dtype=h5py.string_dtype())
            print(names[0])
            """)
        let empty = try damaged(path("d.h5"), "empty.h5", """
            names = [n.decode() if isinstance(n, bytes) else n for n in f['label_names'][:]]
            names[2] = ''
            del f['label_names']
            f.create_dataset('label_names', data=names, dtype=h5py.string_dtype())
            """)
        for (data, text) in [(repeated, "repeated"), (empty, "empty name")] {
            for arguments in [["classifier", "train", data, "--out", path("x.h5"), "--epochs", "1", "--quiet"],
                              ["train", data, "--model", "mlp", "--conditional", "--steps", "1", "--out", path("x-run"), "--quiet"]] {
                let result = try runGANPrep(arguments)
                #expect(result.status == 2 && result.stderr.contains(text) && result.stderr.contains("label_names"), "\(arguments[0]): \(result.stderr)")
            }
        }
        // A conditional checkpoint whose stored class names repeat one: sample refuses it (--label would pick the first).
        let run = path("conditional")
        let trained = try runGANPrep(["train", path("d.h5"), "--model", "mlp", "--conditional", "--steps", "2", "--out", run, "--quiet"])
        #expect(trained.status == 0, "\(trained.stderr)")
        let checkpoint = try damaged(run + "/checkpoints/step_000000002.h5", "twice.h5", """
            config = json.loads(f.attrs['config'])
            config['label_names'][1] = config['label_names'][0]
            f.attrs['config'] = json.dumps(config)
            """)
        let sampled = try runGANPrep(["sample", checkpoint, "--label", "all", "--out", path("grid.png")])
        #expect(sampled.status == 2 && sampled.stderr.contains("repeated"), "\(sampled.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("grid.png")))
    }
}
