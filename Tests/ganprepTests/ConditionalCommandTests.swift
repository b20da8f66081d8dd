import Foundation
import Imaging
import Records
import Testing
import _TestSupport

/// `train --conditional`, `sample --label` and the per-class figures of
/// `eval`, end to end on two classes of the demo clothing, read back with h5py and numpy.
@Suite struct ConditionalCommandTests {
    func ok(_ arguments: [String]) throws -> String {
        let result = try runGANPrep(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout
    }

    func refused(_ arguments: [String], saying parts: [String]) throws {
        let result = try runGANPrep(arguments)
        #expect(result.status == 2, "\(arguments) exited \(result.status): \(result.stderr)")
        for part in parts { #expect(result.stderr.contains(part), "\(arguments): \(result.stderr)") }
    }

    @Test func trainSampleAndEvalAConditionalModel() throws {
        let dir = try TestPaths.temporaryDirectory("conditional-cli")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = { (name: String) in dir.appendingPathComponent(name).path }
        let folder = try TestPaths.labelledDemoFolder(600, classes: ["Trouser", "Sneaker"], into: dir)
        _ = try ok(["pack", folder.path, "--out", path("two.h5"), "--size", "32", "--channels", "1", "--resize-mode", "stretch", "--quiet"])
        _ = try ok(["classifier", "train", path("two.h5"), "--out", path("classifier.h5"), "--epochs", "1", "--quiet"])
        let trained = try runGANPrep(["train", path("two.h5"), "--model", "dcgan", "--feature-maps", "16", "--conditional", "--steps", "300", "--batch", "32",
                                      "--latent", "32", "--out", path("run"), "--threads", "1", "--sample-every", "300", "--grid-classes", "Trouser"])
        #expect(trained.status == 0 && trained.stderr.contains("conditional on 2 classes"), "\(trained.stderr)")

        try refused(["sample", path("run"), "--label", "Kleid", "--out", path("k.png")],
                    saying: ["no class \"Kleid\"", "\"Sneaker\", \"Trouser\", or all"])
        let grid = try ok(["sample", path("run"), "--label", "all", "--count", "5", "--out", path("all.png")])
        #expect(grid.contains("wrote 10 samples"))
        let image = try ImageDecoder().decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path("all.png")))))
        #expect(image.channels == 3 && image.height == 2 * 96 + 3 * 2, "two labelled rows: \(image.width)x\(image.height)")
        // The run's grid has the one row --grid-classes asked for.
        let runGrid = try ImageDecoder().decode([UInt8](Data(contentsOf: URL(fileURLWithPath: path("run/gan_images/step_000300.png")))))
        #expect(runGrid.height == 96 + 2 * 2)
        _ = try ok(["sample", path("run"), "--label", "Trouser", "--count", "40", "--out-h5", path("trousers.h5")])
        _ = try ok(["sample", path("run"), "--label", "Sneaker", "--count", "40", "--out-h5", path("sneakers.h5")])
        // The generated files, read by h5py: the classes they were drawn for, and pixels nearer their own class's real mean.
        let script = """
            import h5py, json, sys
            import numpy as np
            real = h5py.File(sys.argv[1], "r")
            names = [n.decode() if isinstance(n, bytes) else n for n in real["label_names"][:]]
            images, labels = real["images"][:].astype(np.float64), real["labels"][:]
            means = [images[labels == c].mean(0) for c in range(len(names))]
            out = {}
            for path, name in [(sys.argv[2], "Trouser"), (sys.argv[3], "Sneaker")]:
                g = h5py.File(path, "r")
                gnames = [n.decode() if isinstance(n, bytes) else n for n in g["label_names"][:]]
                c = gnames.index(name)
                mean = g["images"][:].astype(np.float64).mean(0)
                out[name] = {"names": gnames, "shape": list(g["images"].shape), "all_labelled": bool((g["labels"][:] == c).all()),
                             "own": float(((mean - means[names.index(name)]) ** 2).sum()),
                             "other": float(((mean - means[1 - names.index(name)]) ** 2).sum())}
            print(json.dumps(out))
            """
        let python = try ProcessRunner.run("/usr/bin/python3", ["-c", script, path("two.h5"), path("trousers.h5"), path("sneakers.h5")])
        #expect(python.status == 0, "\(python.stderr)")
        let read = try JSONParser.parse(Array(python.stdout.utf8))
        for name in ["Trouser", "Sneaker"] {
            #expect(read[name]?["names"] == .array([.string("Sneaker"), .string("Trouser")]))
            #expect(read[name]?["shape"] == .array([.number(40), .number(32), .number(32), .number(1)]))
            #expect(read[name]?["all_labelled"] == .bool(true))
            let own = read[name]?["own"]?.doubleValue ?? .nan, other = read[name]?["other"]?.doubleValue ?? .nan
            #expect(own < other, "\(name): distance to its own class's mean \(own), to the other's \(other)")
        }

        // eval: each class's accuracy and FID, recomputed by numpy from the features and the classifier's logit layer.
        let output = try ok(["eval", path("run"), "--data", path("two.h5"), "--classifier", path("classifier.h5"), "--count", "200",
                             "--kid-subsets", "1", "--kid-subset-size", "100", "--json", "--features-out", path("features.h5")])
        let figures = try JSONParser.parse(Array(output.utf8))
        guard case let .array(classes)? = figures["classes"] else { Issue.record("no per-class figures: \(output)"); return }
        let check = """
            import h5py, json, sys
            import numpy as np
            from scipy import linalg
            f, clf = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
            real, rl = f["real"][:].astype(np.float64), f["real_labels"][:]
            gen, gl = f["class_generated"][:].astype(np.float64), f["class_generated_labels"][:]
            w, b = clf["classifier/logits/kernel"][:], clf["classifier/logits/bias"][:]
            cnames = [n.decode() if isinstance(n, bytes) else n for n in clf.attrs["label_names"]]
            def fid(r, g):
                mu1, mu2, s1, s2 = r.mean(0), g.mean(0), np.cov(r, rowvar=False), np.cov(g, rowvar=False)
                covmean = linalg.sqrtm(s1.dot(s2), disp=False)[0].real
                return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))
            out = []
            for c, name in enumerate(["Sneaker", "Trouser"]):
                g = gen[gl == c]
                predicted = np.argmax(g.astype(np.float32) @ w + b, axis=1)
                out.append({"accuracy": float((predicted == cnames.index(name)).mean()), "fid": fid(real[rl == c], g)})
            print(json.dumps(out))
            """
        let numpy = try ProcessRunner.run("/usr/bin/python3", ["-c", check, path("features.h5"), path("classifier.h5")])
        #expect(numpy.status == 0, "\(numpy.stderr)")
        guard case let .array(reference) = try JSONParser.parse(Array(numpy.stdout.utf8)), reference.count == 2 else {
            Issue.record("numpy: \(numpy.stdout)"); return
        }
        for (c, name) in ["Sneaker", "Trouser"].enumerated() {
            let ours = classes[c]
            #expect(ours["name"] == .string(name))
            let accuracy = ours["accuracy"]?.doubleValue ?? .nan, fid = ours["fid"]?.doubleValue ?? .nan
            #expect(abs(accuracy - (reference[c]["accuracy"]?.doubleValue ?? .nan)) <= 0.011, "\(name) accuracy \(accuracy) vs numpy \(reference)")
            let refFID = reference[c]["fid"]?.doubleValue ?? .nan
            #expect(abs(fid - refFID) <= 1e-3 * max(1, refFID), "\(name) FID \(fid) vs numpy \(refFID)")
            #expect(accuracy > 0.7, "\(name): generated images recognised as their class \(accuracy)")
        }
    }

    @Test func conditionalOptionsAreRefusedWhereTheyCannotApply() throws {
        let dir = try TestPaths.temporaryDirectory("conditional-refused")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = { (name: String) in dir.appendingPathComponent(name).path }
        let unlabelled = try CommandFixtures.packDemo(40, in: dir)
        try refused(["train", unlabelled, "--conditional", "--model", "mlp", "--steps", "1", "--out", path("a")],
                    saying: ["has no class labels", "--conditional"])
        try refused(["train", unlabelled, "--grid-classes", "Bag", "--steps", "1", "--out", path("b")], saying: ["need --conditional"])
        _ = try ok(["train", unlabelled, "--model", "mlp", "--steps", "1", "--batch", "8", "--out", path("plain"), "--quiet", "--threads", "1"])
        try refused(["sample", path("plain"), "--label", "Bag", "--out", path("s.png")], saying: ["not from a --conditional run"])
        try refused(["sample", path("plain"), "--count", "4"], saying: ["--out PNG, --out-h5 FILE"])
    }
}
