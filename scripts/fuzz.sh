#!/usr/bin/env bash
# Builds ptk's libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan in build/fuzz (or
# PTK_FUZZ_BUILD, e.g. build/asan whose preset builds them already), and
# runs each for SECONDS (default 60) from a fresh copy of its committed seed corpus
# (tests/fuzz/corpus/<target>/). Fails on any crash, sanitizer report, leak, timeout (5 s for
# one input) or memory blow-up (1 GiB); the input that did it is saved as
# build/fuzz/artifacts/<target>-crash-... and can be replayed with
#   build/fuzz/tests/fuzz/fuzz_<target> FILE
#
# usage: scripts/fuzz.sh [SECONDS]      (PTK_JOBS: build parallelism, default 2)
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds == 0)); then
  echo "fuzz.sh: SECONDS must be a positive number, not '$seconds' (usage: scripts/fuzz.sh [SECONDS])" >&2
  exit 2
fi
build=${PTK_FUZZ_BUILD:-build/fuzz}  # PTK_FUZZ_BUILD: another build tree
targets=(rewrite_rule trace_expr record_reader)

# A tree already configured for the fuzzers (test.sh passes build/asan, whose preset has
# PTK_FUZZ=ON) is used as it is; otherwise a clang, ASan + UBSan tree is configured here.
if ! grep -qs '^PTK_FUZZ:BOOL=ON' "$build/CMakeCache.txt"; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DPTK_SANITIZE=ON -DPTK_FUZZ=ON >/dev/null
fi
ninja -C "$build" -j"${PTK_JOBS:-2}" ptk_fuzzers

# ASan keeps freed memory in quarantine (256 MiB by default) to catch use-after-free; with its
# shadow and libFuzzer's own data that nears the 1 GiB limit in long runs, so a smaller one.
export ASAN_OPTIONS=${ASAN_OPTIONS:-quarantine_size_mb=64}
mkdir -p "$build/artifacts"
status=0
for target in "${targets[@]}"; do
  work=$(mktemp -d "/tmp/ptk-fuzz-$target.XXXXXX")
  cp tests/fuzz/corpus/"$target"/* "$work"/
  log="$build/artifacts/$target.log"
  echo "== fuzz_$target: ${seconds}s from $(ls "$work" | wc -l) seeds"
  if "$build/tests/fuzz/fuzz_$target" "$work" -max_total_time="$seconds" -timeout=5 \
    -rss_limit_mb=1024 -print_final_stats=1 -artifact_prefix="$build/artifacts/$target-" \
    >"$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
    echo "   ok: ${execs:-?} runs, coverage ${cov:-?} edges, corpus $(ls "$work" | wc -l) inputs"
  else
    echo "fuzz.sh: fuzz_$target FAILED; its log (last lines below) is $log" >&2
    tail -n 30 "$log" >&2
    status=1
  fi
  rm -rf "$work"
done
exit $status
