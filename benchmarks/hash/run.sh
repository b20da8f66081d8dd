#!/usr/bin/env bash
# make bench: SHA-256 throughput, ganprep's hasher beside coreutils' sha256sum on the same bytes.
set -euo pipefail
cd "$(dirname "$0")/../.."
swift build -c release --static-swift-stdlib --product hash-bench >/dev/null
.build/release/hash-bench $((512 << 20))
file=$(mktemp)
trap 'rm -f "$file"' EXIT
head -c $((512 << 20)) /dev/urandom > "$file"
cat "$file" > /dev/null
start=$(date +%s.%N); sha256sum "$file" > /dev/null; end=$(date +%s.%N)
python3 -c "print(f'coreutils sha256sum 512 MiB file: {512 * 1.048576 / ($end - $start):.0f} MB/s')"
