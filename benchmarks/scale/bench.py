"""Scaling out, measured on this machine in one run.

1. Training: DCGAN 64x64x3 (64 feature maps), global batch 64, streamed,
   1 process x 1 thread against `mpirun -np 2` x 1 thread each (one core
   each; per-process BatchNorm statistics, and with --sync-batch-norm), and 1 process
   streaming the same images from a merged (virtual) dataset of two packed
   shards. Images/s from rank 0's losses.csv after 2 warm-up steps; best of 3
   rounds, interleaved; and, as the machine's own ceiling for two
   processes, two independent 1-process runs of batch 32 at once.
2. Reading: `ganprep inspect` (every image, chunk by chunk) on the plain
   file and on the merged one.
3. Fetch: 2,000 Fashion-MNIST PNGs from 127.0.0.1, one process against two
   shards (`--shard 0/2`, `--shard 1/2`, one directory) running at once:
   at 50 ms latency with the same total width (32 in flight: 32 vs 2 x 16),
   and with no added latency (32 in flight per process).
Usage: bench.py GANPREP SERVER [STEPS]
"""
import json, os, resource, shutil, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fashion_png import write_pngs
import bench_server

ganprep, server_binary = sys.argv[1], sys.argv[2]
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 10
warmup = 2
root = ["--allow-run-as-root"] if os.getuid() == 0 else []
mpirun = ["mpirun", "--oversubscribe"] + root  # Open MPI binds each process to a core
work = tempfile.mkdtemp(prefix="ganprep-scale-bench-")

def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, **kw)

try:
    pngs = os.path.join(work, "png")
    write_pngs("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", pngs, 2048)
    plain = os.path.join(work, "plain.h5")
    pack = ["--size", "64", "--channels", "3", "--resize-mode", "stretch", "--labels", "none", "--quiet"]
    run([ganprep, "pack", pngs, "--out", plain] + pack)
    parts = [os.path.join(work, f"part-{i}.h5") for i in range(2)]
    for i, part in enumerate(parts):
        run([ganprep, "pack", pngs, "--shard", f"{i}/2", "--out", part] + pack)
    merged = os.path.join(work, "merged.h5")
    run([ganprep, "merge"] + parts + ["--out", merged, "--quiet"])

    def rate(out):
        rows = [l.split(",") for l in open(os.path.join(out, "losses.csv")).read().split("\n")[1:] if l]
        return (len(rows) - warmup) / (float(rows[-1][6]) - float(rows[warmup - 1][6]))

    def train_cmd(path, out, batch):
        shutil.rmtree(out, ignore_errors=True)
        return [ganprep, "train", path, "--recipe", "classic", "--stream", "--batch", str(batch), "--steps", str(steps), "--threads", "1",
                "--sample-every", "100000", "--checkpoint-every", "100000", "--out", out, "--quiet"]

    def train(path, processes, flags=()):
        out = os.path.join(work, "run")
        run((mpirun + ["-np", str(processes)] if processes > 1 else []) + train_cmd(path, out, 64) + list(flags))
        return 64 * rate(out)

    def side_by_side():
        # The machine's own ceiling for two processes: two independent runs of
        # half the batch at once, no MPI between them (their images/s summed).
        outs = [os.path.join(work, f"alone-{i}") for i in range(2)]
        procs = [subprocess.Popen(train_cmd(plain, out, 32), stdout=subprocess.DEVNULL) for out in outs]
        assert all(p.wait() == 0 for p in procs)
        return sum(32 * rate(out) for out in outs)

    names = ["1 process, plain file", "2 processes (mpirun), plain file", "1 process, merged file",
             "2 independent processes, batch 32 each", "2 processes, --sync-batch-norm"]
    rounds = []
    for _ in range(3):
        rounds.append({name: measure() for name, measure in
                       zip(names, [lambda: train(plain, 1), lambda: train(plain, 2), lambda: train(merged, 1), side_by_side,
                                   lambda: train(plain, 2, ["--sync-batch-norm"])])})
    best = {name: max(r[name] for r in rounds) for name in names}
    def ratio(a, b):
        # Each round's ratio (its runs minutes apart at most), the median of the rounds.
        return sorted(r[a] / r[b] for r in rounds)[len(rounds) // 2]
    print(f"train: DCGAN 64x64x3, 64 maps, global batch 64, streamed, 1 thread per process, {steps} steps ({warmup} warm-up)")
    print(f"  {'':40} {'best of 3':>10}   rounds (images/s)")
    for name in names:
        print(f"  {name:40} {best[name]:10.2f}   " + ", ".join(f"{r[name]:.1f}" for r in rounds))
    print(f"  ratio 2 processes / 1 process:           {ratio(names[1], names[0]):.2f}x median of rounds, {best[names[1]] / best[names[0]]:.2f}x of bests (target >= 1.8x)")
    print(f"  ceiling, 2 independent processes / 1:    {ratio(names[3], names[0]):.2f}x median, {best[names[3]] / best[names[0]]:.2f}x of bests (what this machine gives two processes)")
    print(f"  2 processes, --sync-batch-norm / 1:      {ratio(names[4], names[0]):.2f}x median, {best[names[4]] / best[names[0]]:.2f}x of bests")
    print(f"  2 processes (mpirun) / 2 independent:    {ratio(names[1], names[3]):.2f}x median (the cost of keeping them in step)")
    print(f"  merged / plain file (1 process):         {ratio(names[2], names[0]):.2f}x median, {best[names[2]] / best[names[0]]:.2f}x of bests")

    def read_seconds(path):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            run([ganprep, "inspect", path])
            times.append(time.perf_counter() - start)
        return min(times)
    p, m = read_seconds(plain), read_seconds(merged)
    print(f"read: ganprep inspect over 2048 images 64x64x3 (96 MiB as float32): plain {p:.3f} s, merged {m:.3f} s, ratio {p / m:.2f}x")

    served = os.path.join(work, "served")
    write_pngs("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz", served, 2000)

    def fetch_round(latency, widths):
        server, records = bench_server.start(server_binary, served, latency, work)
        try:
            results = {}
            for label, shards, width in widths:
                out = os.path.join(work, "fetched")
                shutil.rmtree(out, ignore_errors=True)
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                procs = [subprocess.Popen([ganprep, "fetch", records, "--out", out, "--parallel", str(width), "--per-host", str(width), "--quiet"]
                                          + (["--shard", f"{i}/{shards}"] if shards > 1 else []), stdout=subprocess.DEVNULL)
                         for i in range(shards)]
                assert all(p.wait() == 0 for p in procs)
                wall = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                results[label] = (2000 / wall, 1000 * cpu / 2000)
            return results
        finally:
            server.kill()

    print("fetch: 2000 PNGs from 127.0.0.1 (one directory), images/s, best of 2")
    for latency, widths in ((50, [("1 process x 32 in flight", 1, 32), ("2 shards x 16 in flight", 2, 16)]),
                            (0, [("1 process x 32 in flight", 1, 32), ("2 shards x 32 in flight", 2, 32)])):
        rounds = [fetch_round(latency, widths) for _ in range(2)]
        best = {label: max((r[label] for r in rounds), key=lambda x: x[0]) for label, _, _ in widths}
        labels = [w[0] for w in widths]
        bound = f" (latency bound {32 / (latency / 1000):.0f}/s)" if latency else " (no added latency; the server shares the 2 cores)"
        print(f"  {latency} ms{bound}: " + ", ".join(f"{l} {best[l][0]:.0f} ({best[l][1]:.2f} ms CPU/image)" for l in labels)
              + f"; ratio {best[labels[1]][0] / best[labels[0]][0]:.2f}x")
finally:
    shutil.rmtree(work, ignore_errors=True)
