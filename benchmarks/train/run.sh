#!/usr/bin/env bash
# make bench: streamed against in-memory training (peak memory at two dataset sizes).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product ganprep >/dev/null
/usr/bin/python3 benchmarks/train/bench.py .build/release/ganprep "${TRAIN_BENCH_STEPS:-160}"
swift build -c release --static-swift-stdlib --product gan-bench >/dev/null
/usr/bin/python3 benchmarks/train/cli_vs_core.py .build/release/ganprep .build/release/gan-bench "${CLI_BENCH_STEPS:-40}" "${CLI_BENCH_ROUNDS:-5}"
