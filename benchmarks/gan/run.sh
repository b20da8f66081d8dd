#!/usr/bin/env bash
# make bench: the GAN step benchmark against PyTorch's CPU build (installed in .build-bench).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product gan-bench >/dev/null
if ! .build-bench/bin/python -c "import torch" 2>/dev/null; then
  /usr/bin/python3 -m venv .build-bench
  # The CPU build; the plain "torch" from PyPI is a multi-gigabyte CUDA build.
  .build-bench/bin/pip install -q --disable-pip-version-check 'torch==2.13.0+cpu' numpy
fi
/usr/bin/python3 benchmarks/gan/bench.py .build/release/gan-bench .build-bench/bin/python "${GAN_BENCH_STEPS:-7}"
