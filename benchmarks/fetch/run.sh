#!/usr/bin/env bash
# make bench: the fetch benchmark (needs dataset-fashion-mnist and python3-requests).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --product ganprep >/dev/null
swift build -c release --product fetch-bench-server >/dev/null
/usr/bin/python3 benchmarks/fetch/bench.py .build/release/ganprep .build/release/fetch-bench-server
