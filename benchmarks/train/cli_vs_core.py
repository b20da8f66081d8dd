"""The CLI's training steps per second beside the core's (issue 17's yardstick).

A dataset of a few hundred images (the first 320 bundled Fashion-MNIST demo
images, packed to 64x64x3 and to 128x128x3), trained through `ganprep train`
with its defaults (a grid and a checkpoint every epoch, losses.csv every step),
in memory, for a fixed number of steps; beside it `gan-bench`, the core's step
alone on random data, same model, batch and threads. Reports steps/s of both
(the CLI's from losses.csv, after warm-up steps) and their ratio; the target
is at least 0.95.
Usage: cli_vs_core.py GANPREP GAN_BENCH [STEPS]
"""
import json, os, subprocess, sys, tempfile

ganprep, bench = sys.argv[1], sys.argv[2]
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 40
warmup = 5
threads = str(os.cpu_count())
here = os.path.dirname(os.path.abspath(__file__))
images = os.path.join(here, "..", "..", "Fixtures", "fashion-mnist", "images")
cases = [("dcgan", 64, 64), ("mlp", 128, 32)]
with tempfile.TemporaryDirectory(prefix="ganprep-cli-bench-") as work:
    folder = os.path.join(work, "png")
    os.makedirs(folder)
    for name in sorted(os.listdir(images))[:320]:
        os.symlink(os.path.join(images, name), os.path.join(folder, name))
    print(f"training through the CLI (defaults: a grid and a checkpoint every epoch) beside the core's step, {threads} threads, 320 images")
    print(f"{'case':24} {'batch':>5} {'epoch steps':>11} {'CLI steps/s':>12} {'core steps/s':>13} {'ratio':>6}")
    for model, size, batch in cases:
        data = os.path.join(work, f"d{size}.h5")
        # The 28x28 demo images are enlarged (pack warns so; not what is measured here).
        subprocess.run([ganprep, "pack", folder, "--out", data, "--size", str(size), "--channels", "3", "--quiet"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        run = os.path.join(work, f"run-{model}")
        subprocess.run([ganprep, "train", data, "--model", model, "--batch", str(batch), "--steps", str(steps),
                        "--threads", threads, "--out", run, "--quiet"], check=True, stdout=subprocess.DEVNULL)
        rows = [line.split(",") for line in open(os.path.join(run, "losses.csv")).read().split("\n")[1:] if line]
        first, last = rows[warmup - 1], rows[-1]
        cli = (int(last[0]) - int(first[0])) / (float(last[6]) - float(first[6]))
        out = subprocess.run([bench, model, str(size), "3", str(batch), threads, "7"], check=True, capture_output=True, text=True).stdout
        core = 1 / json.loads(out.strip().splitlines()[-1])["median_s"]
        print(f"{model + f' {size}x{size}x3':24} {batch:5d} {(320 + batch - 1) // batch:11d} {cli:12.3f} {core:13.3f} {cli / core:6.3f}")
