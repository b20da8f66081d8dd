#!/usr/bin/env bash
# make bench: the near-duplicate search on 1,000,000 hashes, and pack with and without --dedup near on real photos.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product dedup-bench >/dev/null
swift build -c release --static-swift-stdlib --product ganprep >/dev/null
mkdir -p benchmarks/.cache
/usr/bin/python3 benchmarks/dedup/bench.py .build/release/dedup-bench .build/release/ganprep benchmarks/.cache
