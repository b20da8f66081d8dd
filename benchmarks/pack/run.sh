#!/usr/bin/env bash
# make bench: the pack benchmark (real photos from Debian packages; Pillow and GAPCV as peers).
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product ganprep >/dev/null
mkdir -p benchmarks/.cache
/usr/bin/python3 benchmarks/pack/bench.py .build/release/ganprep benchmarks/.cache .build-interop/bin/python
