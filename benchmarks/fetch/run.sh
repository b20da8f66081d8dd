#!/usr/bin/env bash
# make bench: the fetch benchmarks (need dataset-fashion-mnist, python3-requests, nginx-light, curl):
# latency-bound (50 ms, 32 in flight) against a Python pool, then client-bound (nginx, no latency)
# against curl -Z and the Python pool, CPU per image.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product ganprep >/dev/null
swift build -c release --static-swift-stdlib --product fetch-bench-server >/dev/null
/usr/bin/python3 benchmarks/fetch/bench.py .build/release/ganprep .build/release/fetch-bench-server
/usr/bin/python3 benchmarks/fetch/client_bound.py .build/release/ganprep "${FETCH_BENCH_ROUNDS:-5}"
