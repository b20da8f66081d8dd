"""The CLI's training steps per second beside the core's (issue 17's yardstick).

A dataset of a few hundred images (the first 320 bundled Fashion-MNIST demo
images, packed to 64x64x3 and to 128x128x3), trained through `ganprep train`
with its defaults (a grid every epoch, checkpoints by its default policy,
losses.csv every step), in memory, for a fixed number of steps; beside it
`gan-bench`, the core's step alone on random data, same model, batch and
threads. Each CLI run is bracketed by a core run of as many steps before and
after (this machine's speed drifts by 10-20% over minutes), ROUNDS times.

Steps/s is steps over the time they took, for both: the CLI's from losses.csv
(all steps after warm-up, epoch ends included), the core's from gan-bench's
mean step (the mean of the two brackets). The ratio is the median of the
rounds' CLI / core; the target is at least 0.95. Also printed, for the loop
without its epoch-end work: the CLI's median step beside the core's median
step (their ratio, the same way). Comparing the CLI's mean with the core's
median, as this script did before, counted the machine's slow outliers (2-4%
of a mean here) against the CLI alone.
Usage: cli_vs_core.py GANPREP GAN_BENCH [STEPS] [ROUNDS]
"""
import json, os, statistics, subprocess, sys, tempfile

ganprep, bench = sys.argv[1], sys.argv[2]
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 40
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 5
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
    print(f"training through the CLI (defaults) beside the core's step, {threads} threads, 320 images, {steps} steps, median of {rounds} alternating rounds")
    print(f"{'case':18} {'batch':>5} {'epoch steps':>11} {'CLI steps/s':>12} {'core steps/s':>13} {'ratio':>6} {'CLI median step/s':>18} {'core median step/s':>19} {'ratio':>6}")
    print("(ratio: the median of the rounds' CLI / core, steps/s from all steps' time; target >= 0.95. Then the same from median steps)")
    for model, size, batch in cases:
        data = os.path.join(work, f"d{size}.h5")
        # The 28x28 demo images are enlarged (pack warns so; not what is measured here).
        subprocess.run([ganprep, "pack", folder, "--out", data, "--size", str(size), "--channels", "3", "--quiet"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        def core_rate():
            # As many steps as the CLI times, so that both span the same stretch of the machine's drift.
            out = subprocess.run([bench, model, str(size), "3", str(batch), threads, str(steps - warmup)], check=True, capture_output=True, text=True).stdout
            result = json.loads(out.strip().splitlines()[-1])
            return 1 / result["mean_s"], 1 / result["median_s"]
        cli, cli_median, core, core_median, ratios, median_ratios = [], [], [], [], [], []
        before = core_rate()
        for round in range(rounds):
            run = os.path.join(work, f"run-{model}-{round}")
            subprocess.run([ganprep, "train", data, "--recipe", "classic", "--model", model, "--batch", str(batch), "--steps", str(steps),
                            "--threads", threads, "--out", run, "--quiet"], check=True, stdout=subprocess.DEVNULL)
            times = [float(line.split(",")[6]) for line in open(os.path.join(run, "losses.csv")).read().split("\n")[1:] if line]
            cli.append((len(times) - warmup) / (times[-1] - times[warmup - 1]))
            cli_median.append(1 / statistics.median(b - a for a, b in zip(times[warmup - 1:], times[warmup:])))
            after = core_rate()
            core.append((before[0] + after[0]) / 2)
            core_median.append((before[1] + after[1]) / 2)
            ratios.append(cli[-1] / core[-1])
            median_ratios.append(cli_median[-1] / core_median[-1])
            before = after
            print(f"  round {round + 1}: CLI {cli[-1]:.3f} core {core[-1]:.3f} ratio {ratios[-1]:.3f}; median steps {cli_median[-1]:.3f} / {core_median[-1]:.3f} = {median_ratios[-1]:.3f}", flush=True)
        c, m, k, km = (statistics.median(v) for v in (cli, cli_median, core, core_median))
        print(f"{model + f' {size}x{size}x3':18} {batch:5d} {(320 + batch - 1) // batch:11d} {c:12.3f} {k:13.3f} {statistics.median(ratios):6.3f} {m:18.3f} {km:19.3f} {statistics.median(median_ratios):6.3f}", flush=True)
