#!/usr/bin/env bash
# make bench: the classifier's feature pass against PyTorch's CPU build, and one eval at 10,000 vs 10,000.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product ganprep >/dev/null
swift build -c release --static-swift-stdlib --product eval-bench >/dev/null
if ! .build-bench/bin/python -c "import torch" 2>/dev/null; then
  /usr/bin/python3 -m venv .build-bench
  .build-bench/bin/pip install -q --disable-pip-version-check 'torch==2.13.0+cpu' numpy
fi
/usr/bin/python3 benchmarks/eval/bench.py .build/release/ganprep .build/release/eval-bench .build-bench/bin/python "${EVAL_BENCH_ROUNDS:-9}"
