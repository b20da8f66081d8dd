"""Pack benchmark: ganprep pack against the decode floor, a Pillow + numpy +
h5py pipeline, and GAPCV.

Real photographs of varied sizes from Debian packages (labelme-examples,
scratch, kphotoalbum, mate-backgrounds), packed to 64x64 RGB. ganprep uses all
cores; so does the floor (benchmarks/pack/decode_floor.c: each file read and
decoded with the same libjpeg-turbo and libpng calls at the DCT scale pack
chooses, PNG rows one at a time as pack takes them, progressive JPEGs up to
the last scan pack reads, nothing else, one thread per core; beside it the
plain floor: every PNG decoded whole and every progressive JPEG to its end,
as the libraries do by default and pack did before; and the floor with each
file also hashed with SHA-256, as pack records every source's digest; and
the floor with ganprep's own PNG row decoder, libdeflate and its own
unfiltering, which pack uses and libpng is not: the floor for the rest of
pack's work); the Pillow reference is one process, as such a script is.
Alternating rounds, medians; GAPCV's own pipeline once. Each round runs the
six in another order (a run right after a pack had been 2-8% slower here,
whichever it was: the slot after ganprep's was always the floor's,
ganprep's always third), and each run starts after os.sync(), untimed, so
that no earlier run's writing overlaps it.
Usage: bench.py GANPREP_BINARY CACHE_DIR [GAPCV_PYTHON]
"""
import os, resource, shutil, statistics, subprocess, sys, tempfile, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import photos as photo_source

ganprep, cache = sys.argv[1], sys.argv[2]
gapcv_python = sys.argv[3] if len(sys.argv) > 3 else None
SIZE, ROUNDS = 64, 8
here = os.path.dirname(os.path.abspath(__file__))
folder = photo_source.collect(cache)
count = len(os.listdir(folder))
work = tempfile.mkdtemp(prefix="ganprep-pack-bench-")
floor_binary = os.path.join(work, "decode_floor")
plain_floor_binary = os.path.join(work, "decode_floor_plain")
hashed_floor_binary = os.path.join(work, "decode_floor_hash")
own_floor_binary = os.path.join(work, "decode_floor_own_png")
codecs = os.path.join(here, "..", "..", "Sources", "CImageCodecs")
own_png = ["-I", os.path.join(codecs, "include"), os.path.join(codecs, "png.c"), os.path.join(codecs, "png_rows.c")]
for binary, defines, libraries in ((floor_binary, [], []), (plain_floor_binary, ["-DFLOOR_PLAIN"], []),
                                   (hashed_floor_binary, ["-DFLOOR_HASH"], ["-lcrypto"]),
                                   (own_floor_binary, ["-DFLOOR_GANPREP_PNG", *own_png], ["-ldeflate", "-lm"])):
    subprocess.run([shutil.which("cc") or "clang", "-O2", *defines, os.path.join(here, "decode_floor.c"), "-o", binary,
                    "-ljpeg", "-lpng", "-lpthread", *libraries], check=True)
files = [os.path.join(folder, name) for name in sorted(os.listdir(folder))]

def measure(cmd):
    os.sync()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), out

def fresh(*paths):
    """Removes a previous round's output before the next run is timed: each
    run measures writing a new dataset, not also dropping the last one
    (replacing a 21 MB file costs ~8 ms of page-cache eviction in its rename)."""
    for path in paths:
        if os.path.exists(path):
            os.unlink(path)
    return paths[0]

def written_by_ganprep(out):
    return int(out.split("packed ")[1].split(" ")[0])

results = {"ganprep": [], "pillow": [], "floor": [], "plain": [], "hashed": [], "own": []}
try:
    def floor_run(name, binary):
        """One run of a decode_floor build, its figures under `name`."""
        def run():
            wall, cpu, out = measure([binary, str(SIZE), "crop", str(os.cpu_count()), *files])
            results[name].append((wall, cpu, int(out.split()[0])))
        return run
    run_floor, run_plain = floor_run("floor", floor_binary), floor_run("plain", plain_floor_binary)
    run_hashed, run_own = floor_run("hashed", hashed_floor_binary), floor_run("own", own_floor_binary)
    def run_ganprep():
        output = fresh(os.path.join(work, "g.h5"), os.path.join(work, "g.h5.pack.jsonl"))
        wall, cpu, out = measure([ganprep, "pack", folder, "--out", output, "--size", str(SIZE), "--quiet"])
        results["ganprep"].append((wall, cpu, written_by_ganprep(out)))
    def run_pillow():
        wall, cpu, out = measure([sys.executable, os.path.join(here, "reference_pack.py"), folder, fresh(os.path.join(work, "p.h5")), str(SIZE)])
        results["pillow"].append((wall, cpu, int(out.split()[0])))
    runs = [run_floor, run_plain, run_ganprep, run_hashed, run_own, run_pillow]
    for round in range(ROUNDS):
        for run in runs[round % len(runs):] + runs[:round % len(runs)]:
            run()
    gapcv = None
    if gapcv_python:
        wall, cpu, out = measure([gapcv_python, os.path.join(here, "gapcv_pack.py"), folder, os.path.join(work, "gapcv"), str(SIZE)])
        gapcv = (wall, cpu, int(out.split()[-2]))
finally:
    shutil.rmtree(work, ignore_errors=True)

def med(name):
    rows = results[name]
    return statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows), min(r[2] for r in rows)

g, p, f, fp, fh, fo = med("ganprep"), med("pillow"), med("floor"), med("plain"), med("hashed"), med("own")
print(f"pack: {count} photos from Debian packages -> {SIZE}x{SIZE}x3, median of {ROUNDS} rounds, {os.cpu_count()} cores")
print(f"{'':24} {'images/s':>9} {'CPU s/image':>12} {'accepted':>9}")
rows = [("ganprep (all cores)", g), ("decode floor (all cores)", f), ("floor + SHA-256", fh),
        ("floor, ganprep's PNG", fo), ("plain floor", fp), ("Pillow+draft (1 proc)", p)]
if gapcv:
    rows.append(("GAPCV (1 proc)", gapcv))
for name, (wall, cpu, ok) in rows:
    print(f"{name:24} {ok / wall:9.1f} {1000 * cpu / ok:10.2f}ms {ok:9d}")
def speed(a, b):
    """a's images/s over b's, from (wall, cpu, images) figures."""
    return (a[2] / a[0]) / (b[2] / b[0])

def cpu(a, b):
    """a's CPU per image over b's."""
    return (a[1] / a[2]) / (b[1] / b[2])

def by_round(a, b):
    """speed(a, b) of each round's two runs."""
    return [speed(r_a, r_b) for r_a, r_b in zip(results[a], results[b])]

pairs, hashed_pairs, own_pairs = by_round("ganprep", "floor"), by_round("hashed", "floor"), by_round("ganprep", "own")
print(f"ratio ganprep/floor: images/s {speed(g, f):.3f} (target >= 0.95), CPU per image {cpu(g, f):.2f}x, decoded {f[2]}")
print(f"ratio ganprep/floor round by round: {', '.join(f'{r:.3f}' for r in pairs)}; "
      f"median {statistics.median(pairs):.3f}")
print(f"ratio floor+SHA-256/floor (the floor with pack's one other per-byte duty, the best a hashing pack reaches): "
      f"images/s {speed(fh, f):.3f}, CPU per image {cpu(fh, f):.2f}x; "
      f"round by round median {statistics.median(hashed_pairs):.3f}")
print(f"ratio ganprep/(floor+SHA-256): images/s {speed(g, fh):.3f}, CPU per image {cpu(g, fh):.2f}x")
print(f"ratio ganprep/(floor with ganprep's PNG rows) (the same decoders as pack: what pack's hashing, resizing, "
      f"writing and start cost): images/s {speed(g, fo):.3f}, CPU per image {cpu(g, fo):.2f}x; "
      f"round by round median {statistics.median(own_pairs):.3f}")
print(f"ratio floor with ganprep's PNG rows/floor: images/s {speed(fo, f):.3f}")
print(f"ratio ganprep/plain floor (PNGs whole, progressive JPEGs to the end): images/s {speed(g, fp):.3f}")
print(f"ratio ganprep/Pillow: images/s {speed(g, p):.2f}x (target >= 2), CPU per image {cpu(g, p):.2f}x, accepted {g[2]} vs {p[2]}")
if gapcv:
    print(f"ratio ganprep/GAPCV: images/s {speed(g, gapcv):.2f}x, CPU per image {cpu(g, gapcv):.2f}x")
