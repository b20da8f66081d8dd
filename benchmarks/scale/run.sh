#!/usr/bin/env bash
# make bench: scaling out — data-parallel training under mpirun, sharded
# fetch, and streaming from a merged (virtual) dataset against a plain one.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product ganprep >/dev/null
swift build -c release --static-swift-stdlib --product fetch-bench-server >/dev/null
/usr/bin/python3 benchmarks/scale/bench.py .build/release/ganprep .build/release/fetch-bench-server "${SCALE_BENCH_STEPS:-20}"
