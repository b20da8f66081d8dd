"""Dedup benchmark: the multi-index search on 1,000,000 random 64-bit hashes
with 1% planted near-duplicates (target: every planted pair found, under 10 s
on one core; beside it the all-pairs scan, extrapolated), then `pack` of the
photo benchmark's real photos (benchmarks/pack/photos.py) at 64x64 with and
without `--dedup near`, alternating, 3 runs each (target: at most 5% more wall time).
Usage: bench.py DEDUP_BENCH GANPREP CACHE
"""
import json, os, subprocess, sys, tempfile, time

bench, ganprep, cache = sys.argv[1:4]
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pack"))
import photos

r = json.loads(subprocess.run([bench, "1000000", "6"], check=True, capture_output=True, text=True).stdout)
print(f"near-duplicate search, {r['count']:,} hashes, radius {r['radius']}, one core")
print(f"  planted pairs {r['planted']:,}: found {r['found']:,}, missed {r['missed']}; other matches {r['other_matches']}")
print(f"  multi-index: {r['seconds']:.2f} s    all-pairs scan (extrapolated from 4,000 queries): {r['brute_force_seconds_extrapolated']:.0f} s"
      f"    ratio {r['seconds'] / r['brute_force_seconds_extrapolated']:.5f}")
print(f"  dHash of one decoded 1920x1080 RGB image: {r['dhash_1920x1080_ms']:.2f} ms")

folder = photos.collect(cache)
count = len(os.listdir(folder))
workers = str(os.cpu_count())
times = {"plain": [], "dedup": []}
with tempfile.TemporaryDirectory() as scratch:
    for _ in range(3):
        for name, flags in (("plain", []), ("dedup", ["--dedup", "near"])):
            out = os.path.join(scratch, name + ".h5")
            start = time.monotonic()
            p = subprocess.run([ganprep, "pack", folder, "--out", out, "--size", "64", "--workers", workers, "--quiet"] + flags,
                               check=True, capture_output=True, text=True)
            times[name].append(time.monotonic() - start)
            if name == "dedup":
                summary = [line for line in p.stdout.splitlines() if line.startswith("skipped")][0]
plain, dedup = sorted(times["plain"])[1], sorted(times["dedup"])[1]
print(f"pack {count} photos to 64x64x3, {workers} workers, median of 3 runs, alternating")
print(f"  without --dedup: {plain:.2f} s    --dedup near: {dedup:.2f} s    ratio {dedup / plain:.3f}    ({summary})")
