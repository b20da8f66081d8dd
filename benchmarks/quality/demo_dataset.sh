#!/usr/bin/env bash
# The demo's dataset (out/fashion-demo/dataset-32x1.h5) as `make demo` makes
# it: its 3,000 records fetched from a local server, packed to 32x32x1 with
# the descriptions as class labels.
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${QUALITY_PORT:-8731}
[ -f out/fashion-demo/dataset-32x1.h5 ] && exit 0
if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
  echo "benchmarks/quality: port $port on 127.0.0.1 is taken" >&2; exit 1
fi
/usr/bin/python3 -m http.server "$port" --bind 127.0.0.1 --directory Fixtures/fashion-mnist/images >/dev/null 2>&1 & server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
make --no-print-directory pack RECORDS=manifests/fashion-demo.json FETCH_FLAGS=--quiet PACK_FLAGS=--quiet >/dev/null
