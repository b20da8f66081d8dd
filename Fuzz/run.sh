#!/usr/bin/env bash
# Builds the libFuzzer harnesses (AddressSanitizer on) and runs each for
# FUZZ_SECONDS, seeded from Fixtures/. Usage: Fuzz/run.sh [target ...]
#   FUZZ_SECONDS  seconds per target (default 60)
#   FUZZ_JOBS     parallel fuzzing processes per target (default 1)
# fuzz-dataset runs in fork mode: Debian 12's libhdf5 1.10.8 crashes on some
# damaged files (out of ganprep's hands), so a crash is saved and fuzzing
# goes on; afterwards every saved input is handed to `ganprep inspect`, which
# must exit 0 or 2 (it opens files in a child process first): a trap or a
# signal there fails the run. The other targets stop at their first crash.
# Working corpora grow under .build-fuzz/corpus/<target>; a crash is saved in
# .build-fuzz/crashes/ and fails the run (exit 1). Turn each crash into a
# regression test with its input under Fixtures/fuzz/regressions/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz-records fuzz-images fuzz-png-rows fuzz-dataset fuzz-report)

# The fuzz package reaches the main one through Fuzz/ganprep -> .. (a path
# package's identity is its folder's name, so it must not depend on the clone's).
mkdir -p .build-fuzz
if ! swift build --package-path Fuzz -c debug \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld \
    -Xcc -fsanitize=fuzzer-no-link,address >.build-fuzz/build.log 2>&1; then
  grep -v "Cannot export local symbol" .build-fuzz/build.log | tail -40 >&2
  echo "Fuzz/run.sh: the harnesses did not build" >&2
  exit 1
fi
bin=$(swift build --package-path Fuzz -c debug --show-bin-path)
# The CLI that must contain what libhdf5 does with the dataset fuzzer's finds.
ganprep=${GANPREP:-$(swift build --show-bin-path)/ganprep}
if [ ! -x "$ganprep" ]; then swift build --product ganprep >/dev/null; fi

seeds_for() {
  case $1 in
    fuzz-records) echo "$root/Fixtures/fuzz/records" ;;
    fuzz-images) echo "$root/Fixtures/images" ;;
    fuzz-png-rows) echo "$root/Fixtures/fuzz/png-rows" ;;
    fuzz-dataset) echo "$root/Fixtures/fuzz/dataset" ;;
    fuzz-report) echo "$root/Fixtures/fuzz/report" ;;
  esac
}

maxlen_for() {
  case $1 in
    fuzz-images) echo 262144 ;;
    *) echo 65536 ;;
  esac
}

mkdir -p .build-fuzz/crashes
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}
status=0
for target in "${targets[@]}"; do
  [ -x "$bin/$target" ] || { echo "Fuzz/run.sh: $target was not built" >&2; exit 1; }
  corpus=.build-fuzz/corpus/$target
  mkdir -p "$corpus"
  regressions=$root/Fixtures/fuzz/regressions/$target
  extra=()
  [ -d "$regressions" ] && extra+=("$regressions")
  mode=()
  # -jobs writes each job's output to fuzz-N.log in the current folder: only when asked for.
  [ "$jobs" -gt 1 ] && mode=(-jobs="$jobs" -workers="$jobs")
  [ "$target" = fuzz-dataset ] && mode=(-fork="$jobs" -ignore_crashes=1)
  rm -f .build-fuzz/crashes/"$target"-*
  echo "== $target: ${seconds}s x $jobs job(s), seeds $(seeds_for "$target")"
  log=.build-fuzz/$target.log
  code=0
  TMPDIR=${TMPDIR:-/tmp} "$bin/$target" "$corpus" "$(seeds_for "$target")" "${extra[@]}" \
      -max_total_time="$seconds" -timeout=5 -rss_limit_mb=3072 -malloc_limit_mb=2048 -max_len="$(maxlen_for "$target")" \
      "${mode[@]}" -print_final_stats=1 \
      -artifact_prefix=".build-fuzz/crashes/$target-" >"$log" 2>&1 || code=$?
  # In fork mode libFuzzer exits non-zero after any crash it ignored: for the
  # dataset target the verdict is whether ganprep contains the saved inputs (below).
  if [ "$code" != 0 ] && { [ "$target" != fuzz-dataset ] || ! grep -q "^INFO: fuzzed for" "$log"; }; then
    echo "$target: FAILED, see $log and .build-fuzz/crashes/" >&2
    grep -E "ERROR|SUMMARY|Fatal|panic|==[0-9]+==" "$log" | head -20 >&2 || true
    status=1
  fi
  # The last status line (cov, ft, corpus, exec/s) and the final statistics.
  grep -E "^#[0-9]+.*(DONE|pulse|NEW|REDUCE)" "$log" | tail -1 || true
  grep -E "^INFO: fuzzed for|^#[0-9]+: cov:" "$log" | tail -2 || true
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$log" || true
  if [ "$target" = fuzz-dataset ]; then
    saved=(.build-fuzz/crashes/"$target"-*)
    [ -e "${saved[0]}" ] || saved=()
    contained=0
    for input in "${saved[@]}"; do
      code=0
      GANPREP_PROBE_SECONDS=10 "$ganprep" inspect "$input" >/dev/null 2>.build-fuzz/inspect.err || code=$?
      if [ "$code" = 0 ] || [ "$code" = 2 ]; then
        contained=$((contained + 1))
      else
        echo "$target: ganprep inspect $input exited $code: $(head -c 300 .build-fuzz/inspect.err)" >&2
        status=1
      fi
    done
    echo "$target: ${#saved[@]} inputs made libhdf5 crash, hang or over-allocate inside the harness; ganprep inspect contained $contained of them (exit 0 or 2)"
  fi
done
exit $status
