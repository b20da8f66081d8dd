"""Eval benchmark: the classifier's feature forward pass beside PyTorch's CPU
build (the same network, batch 256 of 32x32x1, 1 and 2 threads, alternating),
and one `ganprep eval` at 10,000 generated vs 10,000 real images, beside
numpy/scipy computing the same FID, KID and precision/recall from the
features that eval wrote (--features-out).
Usage: bench.py GANPREP EVAL_BENCH TORCH_PYTHON [ROUNDS]
"""
import json, os, shutil, subprocess, sys, tempfile, time
here = os.path.dirname(os.path.abspath(__file__))
ganprep, bench, torch_python = sys.argv[1:4]
rounds = sys.argv[4] if len(sys.argv) > 4 else "9"

def run(cmd, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout.strip().splitlines()[-1])

print("classifier features, 32x32x1, batch 256, median of", rounds, "forward passes")
print(f"{'threads':>7} {'ganprep features/s':>19} {'PyTorch features/s':>19} {'ratio':>6}")
for threads in (1, 2):
    g = run([bench, "32", "1", "256", str(threads), rounds], threads)
    t = run([torch_python, os.path.join(here, "torch_features.py"), "32", "1", "256", str(threads), rounds], threads)
    print(f"{threads:7d} {g['features_per_s']:19.0f} {t['features_per_s']:19.0f} {g['features_per_s'] / t['features_per_s']:6.2f}")

work = tempfile.mkdtemp(prefix="ganprep-eval-bench-")
try:
    subprocess.run(["/usr/bin/python3", os.path.join(here, "..", "..", "Fixtures", "fashion-mnist", "class_folders.py"),
                    os.path.join(work, "png"), "10000", "10000"], check=True)
    data, classifier, run_dir = (os.path.join(work, n) for n in ("d.h5", "c.h5", "run"))
    quiet = dict(check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([ganprep, "pack", os.path.join(work, "png"), "--out", data, "--size", "32", "--channels", "1",
                    "--resize-mode", "stretch", "--quiet"], **quiet)
    subprocess.run([ganprep, "classifier", "train", data, "--out", classifier, "--epochs", "1", "--quiet"], **quiet)
    subprocess.run([ganprep, "train", data, "--feature-maps", "32", "--steps", "20", "--out", run_dir, "--quiet"], **quiet)
    features = os.path.join(work, "features.h5")
    start = time.perf_counter()
    out = subprocess.run([ganprep, "eval", run_dir, "--data", data, "--classifier", classifier, "--count", "10000", "--json",
                          "--features-out", features], check=True, capture_output=True, text=True).stdout
    total = time.perf_counter() - start
    figures = json.loads(out)
    script = """
import sys, time, json, h5py, numpy as np
from scipy import linalg
f = h5py.File(sys.argv[1], "r"); r, g = f["real"][:].astype(np.float64), f["generated"][:].astype(np.float64)
t = time.perf_counter()
mu1, mu2, s1, s2 = r.mean(0), g.mean(0), np.cov(r, rowvar=False), np.cov(g, rowvar=False)
fid = ((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(linalg.sqrtm(s1 @ s2, disp=False)[0].real)
rng = np.random.default_rng(0); k = lambda a, b: (a @ b.T / a.shape[1] + 1) ** 3; m = 1000; mmds = []
for _ in range(100):
    x, y = g[rng.choice(len(g), m, replace=False)], r[rng.choice(len(r), m, replace=False)]
    kxx, kyy, kxy = k(x, x), k(y, y), k(x, y)
    mmds.append(((kxx.sum() - np.trace(kxx)) + (kyy.sum() - np.trace(kyy))) / (m * (m - 1)) - 2 * kxy.sum() / (m * m))
def radii(x):
    out = np.empty(len(x))
    for i in range(0, len(x), 1024):
        d = (x[i:i+1024] ** 2).sum(1)[:, None] + (x ** 2).sum(1)[None, :] - 2 * x[i:i+1024] @ x.T
        out[i:i+1024] = np.sort(d, axis=1)[:, 3]
    return out
def cover(p, q, rq):
    hits = 0
    for i in range(0, len(p), 1024):
        d = (p[i:i+1024] ** 2).sum(1)[:, None] + (q ** 2).sum(1)[None, :] - 2 * p[i:i+1024] @ q.T
        hits += (d <= rq[None, :]).any(1).sum()
    return hits / len(p)
precision, recall = cover(g, r, radii(r)), cover(r, g, radii(g))
print(json.dumps({"seconds": time.perf_counter() - t, "fid": float(fid)}))
"""
    peer = json.loads(subprocess.run(["/usr/bin/python3", "-c", script, features], check=True, capture_output=True, text=True).stdout)
    print(f"eval at 10,000 vs 10,000 (32x32x1): ganprep {total:.1f} s in all (reading, generating and embedding 20,000 images "
          f"and the metrics), of which the metrics {figures['metrics_seconds']:.1f} s (FID {figures['fid']:.2f}); "
          f"numpy/scipy on the same features, the same metrics: {peer['seconds']:.1f} s (FID {peer['fid']:.2f}); "
          f"ratio of metric times ganprep/numpy {figures['metrics_seconds'] / peer['seconds']:.2f}")
finally:
    shutil.rmtree(work, ignore_errors=True)
