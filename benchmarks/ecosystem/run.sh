#!/usr/bin/env bash
# make bench: the ecosystem benchmark (needs make ecosystem and dataset-fashion-mnist): the Python
# reader against chunk-aligned h5py slicing and per-row reads, pack of WebDataset shards against pack
# of the same PNGs as a folder, and export's images/s beside a Python (h5py + Pillow) exporter.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product ganprep >/dev/null
mkdir -p benchmarks/.cache
.build-ecosystem/bin/python benchmarks/ecosystem/bench.py .build/release/ganprep benchmarks/.cache "${ECOSYSTEM_BENCH_ROUNDS:-5}"
