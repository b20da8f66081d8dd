#!/usr/bin/env bash
# make bench: sample quality per CPU-minute. The classic and the (default)
# modern recipe given the same --time-limit on the demo's data (the demo's
# budget, and QUALITY_LONG_MINUTES, 30 by default; 0 skips it), judged by the
# demo's classifier, and the PyTorch reference of the modern recipe given the
# long budget's minutes (benchmarks/quality/torch_modern.py).
set -euo pipefail
cd "$(dirname "$0")/../.."
make --no-print-directory build out/fashion-classifier/classifier-32x1.h5 >/dev/null
bash benchmarks/quality/demo_dataset.sh
/usr/bin/python3 benchmarks/quality/bench.py .build/release/ganprep out/fashion-demo/dataset-32x1.h5 \
  out/fashion-classifier/classifier-32x1.h5 out/quality "$PWD/.build-ecosystem/bin/python"
