"""Fetch benchmark: ganprep fetch against a Python thread-pool downloader.

2,000 real images (Fashion-MNIST clothing photos as PNG, from Debian's
dataset-fashion-mnist) served from 127.0.0.1 with 50 ms added latency per
request. Both clients run at the same width (32 transfers in flight), one
after the other against the same server, three rounds alternating; the
median of each is reported with ratios.
Usage: bench.py GANPREP_BINARY SERVER_BINARY
"""
import gzip, json, os, resource, shutil, statistics, subprocess, sys, tempfile, time

ganprep, server_binary = sys.argv[1], sys.argv[2]
COUNT, LATENCY_MS, WIDTH, ROUNDS = 2000, 50, 32, 3
here = os.path.dirname(os.path.abspath(__file__))
work = tempfile.mkdtemp(prefix="ganprep-fetch-bench-")
images = os.path.join(work, "served")
os.makedirs(images)

# Real images: the first 2,000 Fashion-MNIST test images as 8-bit gray PNG.
sys.path.insert(0, os.path.join(here, ".."))
from fashion_png import write_pngs
write_pngs("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz", images, COUNT)

from bench_server import start
server, records_path = start(server_binary, images, LATENCY_MS, work)
try:
    out = os.path.join(work, "out")

    def measure(cmd):
        shutil.rmtree(out, ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        ok = len([f for f in os.listdir(os.path.join(out, "images")) if not f.startswith(".")])
        return wall, cpu, ok

    results = {"ganprep": [], "python": []}
    for _ in range(ROUNDS):
        results["ganprep"].append(measure([ganprep, "fetch", records_path, "--parallel", str(WIDTH),
                                           "--per-host", str(WIDTH), "--quiet", "--out", out]))
        results["python"].append(measure([sys.executable, os.path.join(here, "reference_downloader.py"),
                                          records_path, out, str(WIDTH)]))
finally:
    server.kill()
    shutil.rmtree(work, ignore_errors=True)

bound = WIDTH / (LATENCY_MS / 1000)
def summary(name):
    walls = [r[0] for r in results[name]]
    cpus = [r[1] for r in results[name]]
    oks = [r[2] for r in results[name]]
    wall = statistics.median(walls)
    return {"images_per_s": COUNT / wall, "cpu_s": statistics.median(cpus), "ok": min(oks), "wall_s": wall}
g, p = summary("ganprep"), summary("python")
print(f"fetch: {COUNT} images, {LATENCY_MS} ms latency, {WIDTH} in flight, median of {ROUNDS} rounds")
print(f"{'':10} {'images/s':>9} {'CPU s':>7} {'ok':>5} {'% of latency bound':>19}")
for name, r in (("ganprep", g), ("python", p)):
    print(f"{name:10} {r['images_per_s']:9.1f} {r['cpu_s']:7.2f} {r['ok']:5d} {100 * r['images_per_s'] / bound:18.1f}%")
print(f"ratio ganprep/python: images/s {g['images_per_s'] / p['images_per_s']:.2f}x, CPU time {g['cpu_s'] / p['cpu_s']:.2f}x")
print(f"latency bound: {bound:.0f} images/s")
