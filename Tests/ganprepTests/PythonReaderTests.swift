import Foundation
import Records
import Testing
import _TestSupport

/// ganprep-data (python/) as installed into the ecosystem's environment by `make ecosystem`.
@Suite struct PythonReaderTests {
    /// 1,000 distinct demo images packed at 28x28x1 with class labels, in both layouts.
    static func packBoth(_ dir: URL) throws -> (ganprep: String, gapcv: String) {
        let folder = try TestPaths.labelledDemoFolder(1000, into: dir)
        var paths: [String] = []
        for layout in ["ganprep", "gapcv"] {
            let out = dir.appendingPathComponent("\(layout).h5").path
            let packed = try runGANPrep(["pack", folder.path, "--out", out, "--size", "28", "--channels", "1", "--layout", layout, "--quiet"])
            #expect(packed.status == 0, "\(packed.stderr)")
            paths.append(out)
        }
        return (paths[0], paths[1])
    }

    /// Every image once per epoch across 1, 2 and 3 DataLoader workers x 2 ranks (each rank a
    /// DataLoader of its own); the same batches for the same seed, others for another; a
    /// 2-worker DataLoader over the whole file; the GAPCV layout's images and labels the same.
    static let sharding = """
        import json, sys, hashlib
        import numpy as np, torch, ganprep_data
        from ganprep_data.torch import Dataset
        path, gapcv = sys.argv[1], sys.argv[2]
        def key(image): return hashlib.sha1(np.round(image * 127.5 + 127.5).astype(np.uint8).tobytes()).hexdigest()
        def keys(batches): return [(key(x), int(l)) for images, labels in batches for x, l in zip(images, labels)]
        whole = keys(ganprep_data.Batches(path, 64, shuffle=False))
        out = {"count": len(whole), "distinct": len({k for k, _ in whole})}
        for workers in (1, 2, 3):
            seen = []
            for rank in range(2):
                loader = torch.utils.data.DataLoader(Dataset(path, 50, seed=7, shard=(rank, 2), channels_first=False),
                                                     batch_size=None, num_workers=workers)
                seen += keys((images.numpy(), labels.numpy()) for images, labels in loader)
            out[f"once_{workers}x2"] = sorted(seen) == sorted(whole)
        first, again = keys(ganprep_data.Batches(path, 64, seed=3)), keys(ganprep_data.Batches(path, 64, seed=3))
        other = keys(ganprep_data.Batches(path, 64, seed=4))
        out["same_seed_same_order"] = first == again and sorted(first) == sorted(whole)
        out["other_seed_other_order"] = first != other
        batches = ganprep_data.Batches(path, 64, seed=3)
        out["epochs_differ"] = keys(batches) != keys(batches)
        loader = torch.utils.data.DataLoader(Dataset(path, 100), batch_size=None, num_workers=2)
        shapes, n = set(), 0
        for images, labels in loader: shapes.add(tuple(images.shape[1:])); n += images.shape[0]
        out["dataloader"] = n == len(whole) and shapes == {(1, 28, 28)}
        names = ganprep_data.Batches(path, 8).label_names
        gapcv_batches = ganprep_data.Batches(gapcv, 64, shuffle=False)
        gapcv_keys = [(k, names.index(gapcv_batches.label_names[l])) for k, l in keys(gapcv_batches)]
        out["gapcv_same"] = sorted(gapcv_keys) == sorted(whole)
        out["drop_last"] = all(len(l) == 64 for _, l in ganprep_data.Batches(path, 64, drop_last=True))
        print(json.dumps(out))
        """

    @Test(.enabled(if: ecosystemPython != nil, "the ecosystem's Python (make ecosystem, run by make test) is not available"))
    func everyImageOncePerEpochAcrossWorkersAndRanksInASeededOrder() throws {
        let dir = try TestPaths.temporaryDirectory("python-reader")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (ganprep, gapcv) = try Self.packBoth(dir)
        let read = try ecosystemJSON(Self.sharding, [ganprep, gapcv])
        #expect(read?["count"]?.intValue == 1000 && read?["distinct"]?.intValue == 1000, "\(String(describing: read))")
        for check in ["once_1x2", "once_2x2", "once_3x2", "same_seed_same_order", "other_seed_other_order", "epochs_differ",
                      "dataloader", "gapcv_same", "drop_last"] {
            #expect(read?[check] == .bool(true), "\(check): \(String(describing: read))")
        }
    }

    /// The seed's fit path: a Keras 3 model trained for one epoch from the Sequence, with
    /// targets shaped like its output, and a labelled Sequence's labels matching the file's.
    static let keras = """
        import json, sys
        import numpy as np, keras, h5py
        from ganprep_data.keras import Sequence
        path = sys.argv[1]
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(4, 3, strides=2), keras.layers.Flatten(),
                                  keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss=keras.losses.BinaryCrossentropy(from_logits=True))
        data = Sequence(path, batch_size=128, target_shape=model.output_shape[1:])
        images, targets = data[0]
        history = model.fit(data, epochs=1, verbose=0)
        labelled = Sequence(path, batch_size=100, shuffle=False, labels=True)
        labels = np.concatenate([labelled[i][1] for i in range(len(labelled))])
        print(json.dumps({"batches": len(data), "targets": list(targets.shape), "images": list(images.shape),
                          "loss": history.history["loss"][0], "labels": bool(np.array_equal(labels, h5py.File(path)['labels'][()]))}))
        """

    @Test(.enabled(if: ecosystemPython != nil, "the ecosystem's Python (make ecosystem, run by make test) is not available"))
    func aKerasModelFitsOneEpochFromTheSequence() throws {
        let dir = try TestPaths.temporaryDirectory("python-keras")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (ganprep, _) = try Self.packBoth(dir)
        let read = try ecosystemJSON(Self.keras, [ganprep])
        #expect(read?["batches"]?.intValue == 8, "\(String(describing: read))")
        #expect(read?["targets"] == .array([.number(128), .number(1)]) && read?["images"] == .array([.number(128), .number(28), .number(28), .number(1)]))
        #expect((read?["loss"]?.doubleValue).map { $0.isFinite } == true && read?["labels"] == .bool(true), "\(String(describing: read))")
    }
}
