"""Sample quality per CPU-minute: the classic recipe and the modern one (the default)
given the same --time-limit on the demo's data, judged by the demo's
classifier (3,000 generated against 3,000 real images), and the PyTorch
reference of the modern recipe given the same minutes.

Budgets: the demo's (the minutes the classic recipe's 30 epochs take, the
demo's training) and a long one (30 minutes unless QUALITY_LONG_MINUTES says
otherwise; 0 skips it). Prints each run's FID beside the floor, KID,
precision, recall, class accuracy and step cost, and the ratios the issue
sets targets for; writes the figures to OUT/quality.json, each run's
`sample --label all` grid, the two grids of each budget side by side, and the
long budget's two FID curves.

Usage: bench.py GANPREP DATASET CLASSIFIER OUT [TORCH_PYTHON]
"""
import json, os, subprocess, sys, time

from PIL import Image, ImageDraw

BIN, DATA, CLASSIFIER, OUT = sys.argv[1:5]
TORCH = sys.argv[5] if len(sys.argv) > 5 else ""
LONG = float(os.environ.get("QUALITY_LONG_MINUTES", "30"))
THREADS = os.environ.get("QUALITY_THREADS", str(os.cpu_count() or 2))
# QUALITY_PARALLEL=1: each budget's two runs at once, one thread each (the demo's
# budget then QUALITY_DEMO_MINUTES, or 30 classic epochs timed from 100 steps).
PARALLEL = os.environ.get("QUALITY_PARALLEL", "") == "1"
# QUALITY_PHASES: demo, long, or both (default).
PHASES = os.environ.get("QUALITY_PHASES", "demo,long").split(",")


def common(threads=THREADS, seed="0"):
    """The options every training run of the benchmark shares."""
    return ["--model", "dcgan", "--conditional", "--batch", "64", "--seed", seed, "--stream", "--threads", threads, "--quiet"]


def csv_rows(path):
    """A CSV log's rows after its header, each split on commas (losses.csv, metrics.csv)."""
    return [line.split(",") for line in open(path).read().split("\n")[1:] if line]


def train(name, recipe, extra, threads=None):
    return finish(start(name, recipe, extra, threads))


def start(name, recipe, extra, threads=None, seed="0"):
    run = os.path.join(OUT, name)
    subprocess.run(["rm", "-rf", run], check=True)
    process = subprocess.Popen([BIN, "train", DATA, "--out", run, "--recipe", recipe] + common(threads or THREADS, seed) + extra,
                               stdout=subprocess.DEVNULL)
    return run, process, time.monotonic()


def finish(started):
    run, process, began = started
    if process.wait() != 0:
        raise SystemExit(f"training {run} failed")
    wall = time.monotonic() - began
    rows = csv_rows(os.path.join(run, "losses.csv"))
    steps, seconds = int(rows[-1][0]), float(rows[-1][6])
    return {"run": run, "steps": steps, "train_seconds": seconds, "wall_seconds": wall,
            "augment_p": float(rows[-1][7]) if len(rows[-1]) > 7 else 0.0}


def evaluate(source, figures):
    out = subprocess.run([BIN, "eval", source, "--data", DATA, "--classifier", CLASSIFIER, "--count", "3000", "--json",
                          "--threads", THREADS], check=True, capture_output=True, text=True).stdout
    q = json.loads(out)
    figures.update({k: q.get(k) for k in ["fid", "fid_floor", "kid_mean", "precision", "recall", "class_accuracy_mean"]})
    return figures


def grid(run, path):
    subprocess.run([BIN, "sample", run, "--label", "all", "--count", "8", "--out", path], check=True, stdout=subprocess.DEVNULL)
    return path


def side_by_side(left, right, path, titles):
    a, b = Image.open(left).convert("RGB"), Image.open(right).convert("RGB")
    canvas = Image.new("RGB", (a.width + b.width + 24, max(a.height, b.height) + 28), "white")
    canvas.paste(a, (0, 28))
    canvas.paste(b, (a.width + 24, 28))
    draw = ImageDraw.Draw(canvas)
    draw.text((4, 6), titles[0], fill="black")
    draw.text((a.width + 28, 6), titles[1], fill="black")
    canvas.save(path)


def fid_curves(runs, path):
    """The FID curves of the runs (metrics.csv) on one chart, by training minutes."""
    series = []
    for name, run, color in runs:
        rows = csv_rows(os.path.join(run, "metrics.csv"))
        # metrics.csv's seconds are the evaluation's own; the training time at a step is losses.csv's.
        trained = {int(r[0]): float(r[6]) for r in csv_rows(os.path.join(run, "losses.csv"))}
        trained[0] = 0.0
        series.append((name, color, [(trained[int(r[0])] / 60, float(r[2])) for r in rows], [float(r[8]) for r in rows if len(r) > 8]))
    w, h, m = 720, 400, 50
    xmax = max(p[0] for s in series for p in s[2]) or 1
    # The first evaluations (FID 40 to 180) would flatten the rest: the axis ends at 4x the larger last FID, and what is above it is drawn at the top.
    ymax = min(max(p[1] for s in series for p in s[2]), 4 * max(s[2][-1][1] for s in series)) * 1.1
    image = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([m, 20, w - 20, h - m], outline="black")
    def xy(x, y):
        return (m + x / xmax * (w - 20 - m), h - m - min(y, ymax) / ymax * (h - m - 20))
    for i in range(6):
        y = ymax * i / 5
        draw.text((4, xy(0, y)[1] - 6), f"{y:.1f}", fill="black")
        x = xmax * i / 5
        draw.text((xy(x, 0)[0] - 8, h - m + 6), f"{x:.0f}", fill="black")
    draw.text((w // 2 - 60, h - 20), "training minutes", fill="black")
    for k, (name, color, points, floors) in enumerate(series):
        draw.line([xy(*p) for p in points], fill=color, width=2)
        draw.text((m + 10, 26 + 14 * k), f"{name} (last FID {points[-1][1]:.2f})", fill=color)
    floor = [f for s in series for f in s[3]]
    if floor:
        y = sum(floor) / len(floor)
        draw.line([xy(0, y), xy(xmax, y)], fill=(127, 127, 127), width=1)
        draw.text((m + 10, 26 + 14 * len(series)), f"floor (real vs real) {y:.2f}", fill=(127, 127, 127))
    image.save(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    results = {"date": time.strftime("%Y-%m-%d"), "threads": THREADS}
    if "demo" in PHASES:
        demo_phase(results)
    if LONG > 0 and "long" in PHASES:
        long_phase(results)
    json.dump(results, open(os.path.join(OUT, f"quality-{'-'.join(PHASES)}.json"), "w"), indent=1)
    report(results)


def demo_minutes():
    """The demo's budget: QUALITY_DEMO_MINUTES, or the minutes 30 classic epochs take on all threads, timed from 100 steps."""
    if os.environ.get("QUALITY_DEMO_MINUTES"):
        return float(os.environ["QUALITY_DEMO_MINUTES"]), "given"
    timing = train("classic-timing", "classic", ["--steps", "100"])
    rows = csv_rows(os.path.join(timing["run"], "losses.csv"))
    per_step = (float(rows[-1][6]) - float(rows[9][6])) / (len(rows) - 10)
    epoch = sum(1 for r in rows if r[1] == rows[0][1])  # steps in the first epoch (whole within 100 steps)
    return 30 * epoch * per_step / 60, f"30 epochs of {epoch} steps at {per_step:.3f} s a step (100 classic steps timed)"


def demo_phase(results):
    if PARALLEL:
        # Both at once, a core each, for the minutes 30 classic epochs take on every thread.
        budget, how = demo_minutes()
        limit = ["--time-limit", f"{budget:.4f}"]
        started = [start(f"{recipe}-demo", recipe, limit, threads="1") for recipe in ["classic", "modern"]]
        classic, modern = (evaluate(os.path.join(OUT, f"{r}-demo"), finish(s)) for r, s in zip(["classic", "modern"], started))
        results["demo"] = {"minutes": budget, "budget": how, "threads": "1 each, concurrently", "classic": classic, "modern": modern}
    else:
        classic = evaluate(os.path.join(OUT, "classic-demo"), train("classic-demo", "classic", ["--epochs", "30"]))
        budget = classic["train_seconds"] / 60
        modern = evaluate(os.path.join(OUT, "modern-demo"), train("modern-demo", "modern", ["--time-limit", f"{budget:.4f}"]))
        results["demo"] = {"minutes": budget, "budget": "classic's 30 epochs, timed", "classic": classic, "modern": modern}
    side_by_side(grid(classic["run"], os.path.join(OUT, "classic-demo.png")), grid(modern["run"], os.path.join(OUT, "modern-demo.png")),
                 os.path.join(OUT, "demo-grids.png"), [f"classic, {budget:.1f} min: FID {classic['fid']:.2f}", f"modern, {budget:.1f} min: FID {modern['fid']:.2f}"])


def long_phase(results):
    evaluated = ["--classifier", CLASSIFIER, "--eval-count", "1000", "--eval-every", "235"]
    long = {"minutes": LONG}
    if PARALLEL:
        # Both at once, a core each: the same minutes on the same cores, in half the wall time.
        started = [start(f"{recipe}-long", recipe, ["--time-limit", str(LONG)] + evaluated, threads="1") for recipe in ["classic", "modern"]]
        for recipe, s in zip(["classic", "modern"], started):
            long[recipe] = evaluate(os.path.join(OUT, f"{recipe}-long"), finish(s))
        long["threads"] = "1 each, concurrently"
    else:
        for recipe in ["classic", "modern"]:
            long[recipe] = evaluate(os.path.join(OUT, f"{recipe}-long"), train(f"{recipe}-long", recipe, ["--time-limit", str(LONG)] + evaluated))
    side_by_side(grid(long["classic"]["run"], os.path.join(OUT, "classic-long.png")), grid(long["modern"]["run"], os.path.join(OUT, "modern-long.png")),
                 os.path.join(OUT, "long-grids.png"), [f"classic, {LONG:g} min: FID {long['classic']['fid']:.2f}", f"modern, {LONG:g} min: FID {long['modern']['fid']:.2f}"])
    fid_curves([("classic", long["classic"]["run"], (31, 119, 180)), ("modern", long["modern"]["run"], (214, 39, 40))],
               os.path.join(OUT, "long-fid.png"))
    if TORCH:
        long.update(torch_reference(evaluated))
    results["long"] = long


def torch_reference(evaluated):
    """The PyTorch reference of the default recipe for the long budget's minutes. With QUALITY_PARALLEL it gets one
    thread while ganprep's default trains once more (seed 1) on the other, so the two have the same cores."""
    samples = os.path.join(OUT, "torch-long.h5")
    command = [TORCH, os.path.join(os.path.dirname(__file__), "torch_modern.py"), DATA, str(LONG), samples,
               "--threads", "1" if PARALLEL else THREADS]
    beside = start("modern-long-seed1", "modern", ["--time-limit", str(LONG)] + evaluated, threads="1", seed="1") if PARALLEL else None
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures = {"modern_seed1": evaluate(beside[0], finish(beside))} if beside else {}
    figures["torch"] = evaluate(samples, json.loads(out.strip().split("\n")[-1]))
    return figures


def report(r):
    def line(name, f):
        cls = f.get("class_accuracy_mean")
        return (f"  {name:<26} FID {f['fid']:7.3f} (floor {f['fid_floor']:.3f})  KID {f['kid_mean']:.5f}  precision {f['precision']:.3f}  "
                f"recall {f['recall']:.3f}  classes {'-' if cls is None else f'{100 * cls:.1f}%'}  {f['steps']} steps, "
                f"{f['steps'] / f.get('train_seconds', f.get('seconds', 1)):.2f} steps/s")
    d = r.get("demo")
    if d:
        demo_report(d, r, line)
    if "long" in r:
        long_report(r["long"], line)


def demo_report(d, r, line):
    print(f"quality, demo budget ({d['minutes']:.2f} min = the classic recipe's 30 epochs: {d['budget']}; "
          f"{d.get('threads', r['threads'] + ' threads')}):")
    print(line("classic", d["classic"]))
    print(line("modern (default)", d["modern"]))
    cost = (d["classic"]["steps"] / d["classic"]["train_seconds"]) / (d["modern"]["steps"] / d["modern"]["train_seconds"])
    print(f"  modern/classic FID {d['modern']['fid'] / d['classic']['fid']:.3f} (target <= 0.75); step cost modern/classic {cost:.3f} (target <= 1.3)")


def long_report(l, line):
    print(f"quality, {l['minutes']:g}-minute budget ({l.get('threads', 'all threads')}):")
    print(line("classic", l["classic"]))
    print(line("modern (default)", l["modern"]))
    print(f"  modern/classic FID {l['modern']['fid'] / l['classic']['fid']:.3f} (target <= 0.5); modern recall "
          f"{l['modern']['recall']:.3f} (>= 0.7); modern class accuracy {100 * (l['modern']['class_accuracy_mean'] or 0):.1f}% (>= 90%)")
    if "torch" in l:
        print(line("PyTorch reference (modern)", l["torch"]))
        if "modern_seed1" in l:
            print(line("modern (default), seed 1", l["modern_seed1"]) + " (at once with PyTorch, a core each)")
            print(f"  ganprep/PyTorch FID {l['modern_seed1']['fid'] / l['torch']['fid']:.3f} (seed 1, the same cores at the same time), "
                  f"{l['modern']['fid'] / l['torch']['fid']:.3f} (seed 0) (target <= 1)")
        else:
            print(f"  ganprep/PyTorch FID {l['modern']['fid'] / l['torch']['fid']:.3f} (target <= 1)")


if __name__ == "__main__":
    main()
