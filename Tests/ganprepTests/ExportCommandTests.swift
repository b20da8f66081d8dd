import Foundation
import Records
import Testing
import _TestSupport

@Suite struct ExportCommandTests {
    /// 40 labelled demo images packed at `size` (28: their own size, so nothing is resampled).
    func packLabelled(_ dir: URL, size: Int, name: String = "d.h5") throws -> String {
        let folder = try TestPaths.labelledDemoFolder(40, into: dir)
        let out = dir.appendingPathComponent(name).path
        let packed = try runGANPrep(["pack", folder.path, "--out", out, "--size", "\(size)", "--channels", "1", "--quiet"])
        #expect(packed.status == 0, "\(packed.stderr)")
        return out
    }

    /// Reads a StyleGAN export as StyleGAN2-ADA's `ImageFolderDataset` does (the
    /// zip's names, PNGs sorted, labels from dataset.json by name, PIL to uint8
    /// HWC, square power-of-two), and compares with the packed file by h5py.
    static let readStyleGAN = """
        import h5py, json, os, sys, zipfile
        import numpy as np, PIL.Image
        path, packed = sys.argv[1], sys.argv[2]
        if os.path.isdir(path):
            names = {os.path.relpath(os.path.join(root, f), start=path) for root, _, files in os.walk(path) for f in files}
            open_file = lambda n: open(os.path.join(path, n), 'rb')
        else:
            z = zipfile.ZipFile(path); names = set(z.namelist()); open_file = lambda n: z.open(n, 'r')
        PIL.Image.init()
        images = sorted(n for n in names if os.path.splitext(n)[1].lower() in PIL.Image.EXTENSION)
        with open_file('dataset.json') as f: labels = json.load(f)['labels']
        labels = dict(labels)
        labels = np.array([labels[n.replace('\\\\', '/')] for n in images], dtype=np.int64)
        pixels = []
        for n in images:
            with open_file(n) as f: image = np.array(PIL.Image.open(f))
            if image.ndim == 2: image = image[:, :, np.newaxis]
            pixels.append(image)
        pixels = np.stack(pixels)
        assert pixels.dtype == np.uint8 and pixels.shape[1] == pixels.shape[2] and 2 ** int(np.log2(pixels.shape[1])) == pixels.shape[1]
        f = h5py.File(packed, 'r')
        want = np.clip(np.round(f['images'][()] * 127.5 + 127.5), 0, 255).astype(np.uint8)
        print(json.dumps({"count": len(images), "first": images[0], "pixels": bool(np.array_equal(pixels, want)),
                          "labels": bool(np.array_equal(labels, f['labels'][()]))}))
        """

    @Test(.enabled(if: ecosystemPython != nil, "the ecosystem's Python (make ecosystem, run by make test) is not available"))
    func styleganExportReadsBackAsStyleGANReadsIt() throws {
        let dir = try TestPaths.temporaryDirectory("export-stylegan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let packed = try packLabelled(dir, size: 32)
        for out in ["sg.zip", "sg-folder"] {
            let path = dir.appendingPathComponent(out).path
            let result = try runGANPrep(["export", packed, "--format", "stylegan", "--out", path])
            #expect(result.status == 0 && result.stdout.contains("exported 40 images"), "\(result.stderr)")
            let read = try ecosystemJSON(Self.readStyleGAN, [path, packed])
            #expect(read?["count"]?.intValue == 40 && read?["first"]?.stringValue == "00000/img00000000.png", "\(String(describing: read))")
            #expect(read?["pixels"] == .bool(true) && read?["labels"] == .bool(true), "\(out): \(String(describing: read))")
        }
        let again = try runGANPrep(["export", packed, "--format", "stylegan", "--out", dir.appendingPathComponent("sg-folder").path])
        #expect(again.status == 2 && again.stderr.contains("exists already"), "\(again.stderr)")
    }

    @Test func aNonSquareOrNonPowerOfTwoFileIsRefusedWithTheReason() throws {
        let dir = try TestPaths.temporaryDirectory("export-96x64")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = try TestPaths.linkDemoImages(4, into: dir)
        let packed = dir.appendingPathComponent("wide.h5").path
        #expect(try runGANPrep(["pack", input.path, "--out", packed, "--size", "96x64", "--quiet"]).status == 0)
        let out = dir.appendingPathComponent("sg.zip").path
        let result = try runGANPrep(["export", packed, "--format", "stylegan", "--out", out])
        #expect(result.status == 2 && result.stderr.contains("square images whose side is a power of two") && result.stderr.contains("64x96"),
                "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        let other = try runGANPrep(["export", packed, "--format", "folder", "--out", dir.appendingPathComponent("f").path])
        #expect(other.status == 0, "the folder layout takes any size: \(other.stderr)")
    }

    /// Iterates the shards with the webdataset package; each sample's key, class and pixels against the packed file.
    static let readWebDataset = """
        import glob, json, sys
        import h5py, numpy as np, webdataset as wds
        shards = sorted(glob.glob(sys.argv[1] + '/*.tar'))
        f = h5py.File(sys.argv[2], 'r')
        want = np.clip(np.round(f['images'][()] * 127.5 + 127.5), 0, 255).astype(np.uint8)
        names = [n.decode() for n in f['label_names'][()]]
        seen, ok = [], True
        for sample in wds.WebDataset(shards, shardshuffle=False).decode('l8'):
            i = int(sample['__key__']); meta = sample['json']; seen.append(i)
            ok &= int(sample['cls']) == int(f['labels'][i]) == meta['label'] and meta['label_name'] == names[meta['label']]
            ok &= meta['description'] == f['descriptions'][i].decode() and meta['url'] == f['urls'][i].decode()
            ok &= bool(np.array_equal(sample['png'], want[i][:, :, 0]))
        print(json.dumps({"shards": len(shards), "once": sorted(seen) == list(range(len(want))), "ok": bool(ok)}))
        """

    @Test(.enabled(if: ecosystemPython != nil, "the ecosystem's Python (make ecosystem, run by make test) is not available"))
    func webdatasetExportIsIteratedByTheWebDatasetPackageOnceEach() throws {
        let dir = try TestPaths.temporaryDirectory("export-wds")
        defer { try? FileManager.default.removeItem(at: dir) }
        let packed = try packLabelled(dir, size: 28)
        let out = dir.appendingPathComponent("shards").path
        let result = try runGANPrep(["export", packed, "--format", "webdataset", "--out", out, "--shard-size", "16"])
        #expect(result.status == 0, "\(result.stderr)")
        let read = try ecosystemJSON(Self.readWebDataset, [out, packed])
        #expect(read?["shards"]?.intValue == 3 && read?["once"] == .bool(true) && read?["ok"] == .bool(true), "\(String(describing: read))")
    }

    /// The ImageFolder layout checked file by file (torchvision is not installed): one folder per
    /// class name, holding exactly that class's images, whose PNG pixels are the packed ones, and
    /// the source PNGs' own bytes for a file packed at their own size (nothing resampled).
    static let readFolder = """
        import json, os, sys
        import h5py, numpy as np, PIL.Image
        root, packed, sources = sys.argv[1], sys.argv[2], sys.argv[3]
        f = h5py.File(packed, 'r')
        names = [n.decode() for n in f['label_names'][()]]
        want = np.clip(np.round(f['images'][()] * 127.5 + 127.5), 0, 255).astype(np.uint8)
        ok, count = sorted(os.listdir(root)) == sorted(names), 0
        for c, name in enumerate(names):
            files = sorted(os.listdir(os.path.join(root, name)))
            rows = [i for i in range(len(want)) if f['labels'][i] == c]
            ok &= [int(os.path.splitext(x)[0]) for x in files] == rows
            for x, i in zip(files, rows):
                pixels = np.array(PIL.Image.open(os.path.join(root, name, x)))
                source = np.array(PIL.Image.open(os.path.join(sources, f['urls'][i].decode())))
                ok &= bool(np.array_equal(pixels, want[i][:, :, 0])) and bool(np.array_equal(pixels, source)); count += 1
        print(json.dumps({"count": count, "ok": bool(ok)}))
        """

    @Test(.enabled(if: ecosystemPython != nil, "the ecosystem's Python (make ecosystem, run by make test) is not available"))
    func folderExportIsTheImageFolderLayoutWithThePackedPixelsBitForBit() throws {
        let dir = try TestPaths.temporaryDirectory("export-folder")
        defer { try? FileManager.default.removeItem(at: dir) }
        let packed = try packLabelled(dir, size: 28)
        let out = dir.appendingPathComponent("folders").path
        let result = try runGANPrep(["export", packed, "--format", "folder", "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        let read = try ecosystemJSON(Self.readFolder, [out, packed, dir.appendingPathComponent("classes").path])
        #expect(read?["count"]?.intValue == 40 && read?["ok"] == .bool(true), "\(String(describing: read))")
    }
}
