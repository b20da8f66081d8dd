"""Streamed against in-memory training on the same data, at two dataset sizes 4x apart.

Datasets: the first 10,000 and 40,000 Fashion-MNIST training images (Debian's
dataset-fashion-mnist), packed by ganprep to 32x32x1. For each size, the same
DCGAN (32 feature maps, batch 64, 1 thread) trains for a fixed number of steps
in memory and with --stream. Reports steps/s (from losses.csv, after warm-up
steps), the ratio streamed/in-memory, and peak resident memory (GNU time).
Usage: bench.py GANPREP_BINARY [STEPS]
"""
import os, shutil, subprocess, sys, tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fashion_png import write_pngs

ganprep = sys.argv[1]
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 160
warmup = 10
work = tempfile.mkdtemp(prefix="ganprep-train-bench-")
try:
    write_pngs("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", os.path.join(work, "all"), 40000)
    names = sorted(os.listdir(os.path.join(work, "all")))
    datasets = {}
    for count in (10000, 40000):
        folder = os.path.join(work, f"png{count}")
        os.makedirs(folder)
        for name in names[:count]:
            os.symlink(os.path.join(work, "all", name), os.path.join(folder, name))
        path = os.path.join(work, f"fashion{count}.h5")
        subprocess.run([ganprep, "pack", folder, "--out", path, "--size", "32", "--channels", "1",
                        "--resize-mode", "stretch", "--quiet"], check=True, stdout=subprocess.DEVNULL)
        datasets[count] = path

    def train(path, stream):
        run = os.path.join(work, "run")
        shutil.rmtree(run, ignore_errors=True)
        cmd = ["/usr/bin/time", "-f", "%M", ganprep, "train", path, "--recipe", "classic", "--model", "dcgan", "--feature-maps", "32",
               "--batch", "64", "--steps", str(steps), "--threads", "1", "--sample-every", "100000",
               "--checkpoint-every", "100000", "--out", run, "--quiet"] + (["--stream"] if stream else [])
        result = subprocess.run(cmd, check=True, capture_output=True, text=True)
        peak_kib = int(result.stderr.strip().splitlines()[-1])
        rows = [line.split(",") for line in open(os.path.join(run, "losses.csv")).read().split("\n")[1:] if line]
        seconds = float(rows[-1][6]) - float(rows[warmup - 1][6])
        return (len(rows) - warmup) / seconds, peak_kib / 1024

    print(f"train: DCGAN 32x32x1, 32 maps, batch 64, {steps} steps, 1 thread; steps/s after {warmup} warm-up steps")
    print(f"{'images':>8} {'in-memory steps/s':>18} {'streamed steps/s':>17} {'ratio':>6} {'in-memory peak MiB':>19} {'streamed peak MiB':>18}")
    for count, path in datasets.items():
        # Interleave the modes and keep each one's best of three: the machine is
        # shared, and other tenants' load drifts over a few minutes.
        runs = {False: [], True: []}
        for _ in range(3):
            for mode in (False, True):
                runs[mode].append(train(path, mode))
        mem = (max(r[0] for r in runs[False]), max(r[1] for r in runs[False]))
        stream = (max(r[0] for r in runs[True]), max(r[1] for r in runs[True]))
        print(f"{count:8d} {mem[0]:18.2f} {stream[0]:17.2f} {stream[0] / mem[0]:6.2f} {mem[1]:19.0f} {stream[1]:18.0f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
