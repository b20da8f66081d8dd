"""The ecosystem benchmark: what users outside ganprep see of its files.

1. Reading: a 10,000-image 64x64x3 file (Fashion-MNIST test images packed by
   ganprep) read in batches of 64 for one epoch by ganprep_data.Batches
   (shuffled chunks through a shuffle buffer), by chunk-aligned h5py slicing
   in file order (the upper bound of any reader of the file), and by per-row
   random reads as GAPCV's streamed minibatches read (`f[name]["data"][i]`
   per image: the dataset looked up and one row read; measured on a sample
   of batches). Targets: Batches at least 0.8x the chunk-aligned batches/s and
   at least 20x the per-row reads'.
2. Pack from img2dataset's WebDataset shards (10 tars of 1,000 samples,
   KEY.png + KEY.txt + KEY.json) against pack of the same PNGs as a plain
   folder (both on the same tmpfs), 32x32x1, ROUNDS alternating rounds, the
   median of the rounds' time ratios. Target: within 10%.
3. Export of the 64x64x3 file: images/s of each format, beside a Python
   exporter of the StyleGAN zip (h5py chunks, Pillow PNGs, zipfile: what
   StyleGAN's dataset_tool.py does per image).
Usage: bench.py GANPREP_BINARY CACHE_DIR [ROUNDS]
"""
import io, json, os, shutil, statistics, subprocess, sys, tarfile, tempfile, time, zipfile

import h5py
import numpy as np
import PIL.Image

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from fashion_png import write_pngs  # noqa: E402

import ganprep_data  # noqa: E402

ganprep, cache = sys.argv[1], sys.argv[2]
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
COUNT, BATCH = 10_000, 64


def run(args):
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def prepare(work):
    pngs = os.path.join(cache, "fashion-t10k-png")
    if not os.path.isdir(pngs) or len(os.listdir(pngs)) < COUNT:
        write_pngs("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz", pngs, COUNT)
    shards = os.path.join(work, "shards")
    os.makedirs(shards)
    names = sorted(os.listdir(pngs))[:COUNT]
    for s in range(0, COUNT, 1000):
        with tarfile.open(os.path.join(shards, f"{s // 1000:05d}.tar"), "w") as tar:
            for i, name in enumerate(names[s:s + 1000], start=s):
                for ext, data in (("png", open(os.path.join(pngs, name), "rb").read()), ("txt", f"item {i}".encode()),
                                  ("json", json.dumps({"url": f"http://example.com/{name}", "key": f"{i:09d}"}).encode())):
                    info = tarfile.TarInfo(f"{i:09d}.{ext}"); info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
    big = os.path.join(work, "fashion-64x3.h5")
    subprocess.run([ganprep, "pack", pngs, "--out", big, "--size", "64", "--channels", "3", "--quiet"], check=True,
                   stdout=subprocess.DEVNULL)
    return pngs, shards, big


def reading(path):
    def chunk_aligned():
        with h5py.File(path, "r") as f:
            ds = f["images"]
            step = ds.chunks[0]
            batches, carry = 0, 0
            for start in range(0, ds.shape[0], step):
                block = ds[start:start + step]
                rows = carry + block.shape[0]
                batches += rows // BATCH
                carry = rows % BATCH
            return batches + (1 if carry else 0)

    def reader():
        return sum(1 for _ in ganprep_data.Batches(path, BATCH, seed=0))

    def per_row(batches=40):
        """GAPCV's streamed minibatch: per image, the dataset looked up in the file and one row read."""
        rng = np.random.default_rng(0)
        with h5py.File(path, "r") as f:
            for _ in range(batches):
                np.asarray([f["images"][int(i)] for i in rng.integers(0, COUNT, BATCH)])
        return batches

    readers = (("chunk-aligned h5py", chunk_aligned), ("ganprep_data.Batches", reader), ("per-row h5py (GAPCV)", per_row))
    rates = {name: [] for name, _ in readers}
    ratios = []
    reader()  # the file into the page cache
    for _ in range(rounds):  # the readers alternate, round by round
        for name, fn in readers:
            started = time.perf_counter()
            n = fn()
            rates[name].append(n / (time.perf_counter() - started))
        ratios.append(rates["ganprep_data.Batches"][-1] / rates["chunk-aligned h5py"][-1])
    results = {name: statistics.median(values) for name, values in rates.items()}
    print(f"reading {COUNT} images of 64x64x3 in batches of {BATCH}, median of {rounds} alternating rounds (per-row: 40 batches)")
    for name, rate in results.items():
        print(f"  {name:22s} {rate:10.1f} batches/s")
    reader_rate = results["ganprep_data.Batches"]
    print(f"  Batches / chunk-aligned: {statistics.median(ratios):.2f}x, median of the rounds' ratios "
          f"({', '.join(f'{r:.2f}' for r in ratios)}; target >= 0.8x); "
          f"Batches / per-row: {reader_rate / results['per-row h5py (GAPCV)']:.1f}x (target >= 20x)")


def packing(pngs, shards, work):
    folder_copy = os.path.join(work, "pngs")  # beside the shards, on the same file system
    shutil.copytree(pngs, folder_copy)
    times = {"folder": [], "webdataset shards": []}
    ratios = []
    for r in range(rounds):  # alternating, round by round
        for name, source in (("folder", folder_copy), ("webdataset shards", shards)):
            out = os.path.join(work, f"p-{r}-{name[:3]}.h5")
            times[name].append(run([ganprep, "pack", source, "--out", out, "--size", "32", "--channels", "1", "--quiet"]))
            os.remove(out); os.remove(out + ".pack.jsonl")
        ratios.append(times["webdataset shards"][-1] / times["folder"][-1])
    folder, tars = statistics.median(times["folder"]), statistics.median(times["webdataset shards"])
    print(f"pack {COUNT} PNGs at 32x32x1, median of {rounds} alternating rounds: folder {COUNT / folder:.0f} images/s ({folder:.3f}s), "
          f"webdataset shards {COUNT / tars:.0f} images/s ({tars:.3f}s): shards / folder time {statistics.median(ratios):.3f}, "
          f"median of the rounds' ratios ({', '.join(f'{x:.2f}' for x in ratios)}; target <= 1.10)")


def python_stylegan_zip(path, out):
    """What dataset_tool.py does per image: uint8 HWC, Pillow PNG, one zip entry each."""
    with h5py.File(path, "r") as f, zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as z:
        ds = f["images"]
        step = ds.chunks[0]
        for start in range(0, ds.shape[0], step):
            block = np.clip(np.round(ds[start:start + step] * 127.5 + 127.5), 0, 255).astype(np.uint8)
            for i, image in enumerate(block, start=start):
                buffer = io.BytesIO()
                PIL.Image.fromarray(image).save(buffer, format="png", compress_level=0, optimize=False)
                z.writestr(f"{i // 1000:05d}/img{i:08d}.png", buffer.getvalue())
        z.writestr("dataset.json", json.dumps({"labels": None}))


def exporting(big, work):
    print(f"export of {COUNT} images of 64x64x3, median of {rounds}:")
    for fmt, out in (("stylegan", "e.zip"), ("webdataset", "e-wds"), ("folder", "e-folder")):
        times = []
        for _ in range(rounds):
            target = os.path.join(work, out)
            times.append(run([ganprep, "export", big, "--format", fmt, "--out", target, "--quiet"]))
            shutil.rmtree(target) if os.path.isdir(target) else os.remove(target)
        print(f"  ganprep export --format {fmt:10s} {COUNT / statistics.median(times):8.0f} images/s")
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        python_stylegan_zip(big, os.path.join(work, "py.zip"))
        times.append(time.perf_counter() - started)
    print(f"  Python h5py + Pillow + zipfile (StyleGAN zip) {COUNT / statistics.median(times):8.0f} images/s")


work = tempfile.mkdtemp(prefix="ganprep-ecosystem-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None)
try:
    pngs, shards, big = prepare(work)
    reading(big)
    packing(pngs, shards, work)
    exporting(big, work)
finally:
    shutil.rmtree(work, ignore_errors=True)
