"""GAN step benchmark: ganprep against PyTorch's CPU build, same architecture and step.

Cases: DCGAN 64x64x3 (64 feature maps, latent 100, batch 64) and the dense
`mlp` GAN at 128x128x3 (batch 32); 1 and 2 threads each, ganprep and PyTorch
alternating. Reports the median step time, GFLOP/s (ganprep's FLOP count for
both), the ratio ganprep/PyTorch (<= 1.0 is faster), and ganprep's conv-layer
GFLOP/s against this machine's sgemm rate on a large im2col product.
Usage: bench.py GAN_BENCH_BINARY TORCH_PYTHON [STEPS]
"""
import json, os, subprocess, sys

binary, torch_python = sys.argv[1], sys.argv[2]
steps = sys.argv[3] if len(sys.argv) > 3 else "7"
here = os.path.dirname(os.path.abspath(__file__))
cases = [("dcgan", "64", "3", "64"), ("mlp", "128", "3", "32")]

def run(cmd, threads):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])

print(f"GAN training step (D real + D fake + G through frozen D), median of {steps} steps after 2 warm-up steps")
print(f"{'case':28} {'thr':>3} {'ganprep s':>10} {'PyTorch s':>10} {'ratio':>6} {'GFLOP/s g':>10} {'GFLOP/s pt':>11} {'conv/sgemm':>11}")
for arch, size, channels, batch in cases:
    for threads in (1, 2):
        g = run([binary, arch, size, channels, batch, str(threads), steps], threads)
        t = run([torch_python, os.path.join(here, "torch_step.py"), arch, size, channels, batch, str(threads), steps], threads)
        conv = f"{g['conv_gflops']:.0f}/{g['sgemm_gflops']:.0f}={g['conv_gflops'] / g['sgemm_gflops']:.0%}" if g["conv_gflops"] else "-"
        name = f"{arch} {size}x{size}x{channels} b{batch} ({g['gflop']:.0f} GF)"
        print(f"{name:28} {threads:3d} {g['median_s']:10.3f} {t['median_s']:10.3f} {g['median_s'] / t['median_s']:6.2f} "
              f"{g['gflops']:10.1f} {g['gflop'] / t['median_s']:11.1f} {conv:>11}")

# The class-conditional DCGAN (10 classes: one-hot class input, projection head)
# against the unconditional one; target <= 1.05. Each gan-bench run alternates
# the two pairs step by step in one process ("paired"); separate runs of each
# are printed too. The class layers' own time as well: on a shared machine the
# step time moves by more than their cost from one run to the next.
print()
print(f"class-conditional DCGAN 64x64x3 b64 (10 classes) against unconditional, median of 3 runs x {steps} steps")
print(f"{'thr':>3} {'paired: uncond s':>16} {'cond s':>7} {'ratio':>6} {'separate: uncond s':>18} {'cond s':>7} {'ratio':>6} {'class layers s':>15} {'share':>6}")
def middle(values):
    return sorted(values)[len(values) // 2]
for threads in (1, 2):
    paired, conditional, separate, layers = [], [], [], []
    for _ in range(3):
        separate.append(run([binary, "dcgan", "64", "3", "64", str(threads), steps], threads)["median_s"])
        c = run([binary, "dcgan", "64", "3", "64", str(threads), steps, "10"], threads)
        paired.append(c["paired_unconditional_s"])
        conditional.append(c["median_s"])
        layers.append(c["layers"].get("ClassProjection", 0) + c["layers"].get("ClassConditionInput", 0))
    ratios = [c / p for c, p in zip(conditional, paired)]
    p, c, s, l = middle(paired), middle(conditional), middle(separate), middle(layers)
    print(f"{threads:3d} {p:16.3f} {c:7.3f} {middle(ratios):6.3f} {s:18.3f} {c:7.3f} {c / s:6.3f} {l:15.4f} {l / c:6.2%}")
