#!/usr/bin/env bash
# The README's second command: the whole test suite, as CI runs it (.ci/run).
#
#   1. deps.sh (installs what is missing; silent otherwise)
#   2. clang-format check of every C/C++ source
#   3. the `ci` preset (RelWithDebInfo, -Werror) with GCC: configure, build, ctest
#   4. the `asan` preset (Debug, ASan+UBSan, -Werror) with Clang: configure, build, ctest
#   5. fuzz: scripts/fuzz.sh 60 (the parsers' libFuzzer targets, 60 s each from tests/fuzz/corpus)
#
# Stops at the first failing stage with a line naming it, and exits nonzero. The last line is
# `N passed, M failed` (totals over the ctest runs) when all stages pass or a test stage fails;
# when another stage fails there is no such line, so no count can pass for a success.
#
# usage: scripts/test.sh [--quick]     --quick skips the asan and fuzz stages (local iteration)
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

quick=0
for arg in "$@"; do
  case $arg in
    --quick) quick=1 ;;
    -h | --help)
      sed -n '2,14s/^# \{0,1\}//p' "$0"
      exit 0
      ;;
    *)
      echo "test.sh: unknown argument '$arg' (usage: scripts/test.sh [--quick])" >&2
      exit 2
      ;;
  esac
done

passed=0
failed=0
tests_ran=0
start=$SECONDS

totals() {
  if ((tests_ran)); then
    echo "$passed passed, $failed failed"
  fi
}

# fail STAGE [totals]: name the failed stage; print the totals only for a failed test stage.
fail() {
  echo "test.sh: FAILED at stage: $1 (after $((SECONDS - start))s)" >&2
  if [[ ${2-} == totals ]]; then
    totals
  fi
  exit 1
}

stage() {
  echo
  echo "== test.sh: $1 ($((SECONDS - start))s so far) =="
}

# Configure a preset with the given compilers. A build tree cached with another compiler is
# configured afresh (CMake ignores CC/CXX once a cache exists).
configure() {
  local preset=$1 cc=$2 cxx=$3 dir=build/$1 cached want
  local -a fresh=()
  if [[ -f $dir/CMakeCache.txt ]]; then
    cached=$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$dir/CMakeCache.txt")
    want=$(command -v "$cxx" || true)
    if [[ -z $cached || -z $want || $(readlink -f "$cached") != $(readlink -f "$want") ]]; then
      fresh=(--fresh)
    fi
  fi
  CC=$cc CXX=$cxx cmake --preset "$preset" "${fresh[@]}"
}

# Run ctest, add its summary to the totals, fail the stage if any test failed.
run_ctest() {
  local name=$1 log summary rc t f
  shift
  log=$(mktemp "${TMPDIR:-/tmp}/ptk-ctest.XXXXXX.log")
  set +e
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  summary=$(grep -E '[0-9]+% tests passed, [0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1)
  rm -f "$log"
  if [[ $summary =~ ([0-9]+)\ tests\ failed\ out\ of\ ([0-9]+) ]]; then
    f=${BASH_REMATCH[1]}
    t=${BASH_REMATCH[2]}
    tests_ran=1
    passed=$((passed + t - f))
    failed=$((failed + f))
  fi
  if ((rc != 0)) || [[ -z $summary ]]; then
    fail "$name" totals
  fi
}

stage "dependencies"
./scripts/deps.sh || fail "dependencies (scripts/deps.sh)"

stage "format check (clang-format --dry-run --Werror)"
dirs=(include src tests examples bench tools)
sources=()
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t sources < <(git ls-files -co --exclude-standard -- "${dirs[@]}" |
    grep -E '\.(cpp|h|c)$' | grep -Ev '(^|/)build[^/]*/' || true)
else
  existing=()
  for d in "${dirs[@]}"; do [[ -d $d ]] && existing+=("$d"); done
  if ((${#existing[@]})); then
    mapfile -t sources < <(find "${existing[@]}" -type d -name 'build*' -prune -o \
      -type f \( -name '*.cpp' -o -name '*.h' -o -name '*.c' \) -print)
  fi
fi
# Files listed by git but deleted in the working tree are not checked.
checked=()
for f in "${sources[@]}"; do [[ -f $f ]] && checked+=("$f"); done
if ((${#checked[@]})); then
  fmt_log=$(mktemp "${TMPDIR:-/tmp}/ptk-format.XXXXXX.log")
  if ! clang-format --dry-run --Werror "${checked[@]}" >"$fmt_log" 2>&1; then
    head -n 60 "$fmt_log"
    echo "... the files that need formatting:"
    grep -oE '^[^:]+:[0-9]+:[0-9]+: error' "$fmt_log" | cut -d: -f1 | sort | uniq -c
    rm -f "$fmt_log"
    fail "format check (fix with: clang-format -i FILE...)"
  fi
  rm -f "$fmt_log"
fi
echo "${#checked[@]} files formatted correctly"

stage "ci preset with GCC: configure"
configure ci gcc g++ || fail "ci configure (GCC)"
stage "ci preset with GCC: build (-Werror)"
cmake --build --preset ci || fail "ci build (GCC, -Werror)"
stage "ci preset with GCC: tests"
run_ctest "ci tests (GCC)" ctest --preset ci --output-on-failure --no-tests=error -j2 --timeout 120

if ((quick)); then
  echo
  echo "test.sh: --quick: skipped the asan and fuzz stages; all stages run passed in $((SECONDS - start))s"
else
  stage "asan preset with Clang: configure"
  configure asan clang clang++ || fail "asan configure (Clang)"
  stage "asan preset with Clang: build (ASan+UBSan, -Werror)"
  cmake --build --preset asan || fail "asan build (Clang, -Werror)"
  stage "asan preset with Clang: tests"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_ctest "asan tests (Clang, ASan+UBSan)" \
    ctest --preset asan --output-on-failure --no-tests=error -j2 --timeout 120
  # The fuzz targets were built with the asan tree (its preset has PTK_FUZZ=ON).
  stage "fuzz: scripts/fuzz.sh 60 (libFuzzer + ASan + UBSan, 60 s per target)"
  PTK_FUZZ_BUILD=build/asan ./scripts/fuzz.sh 60 ||
    fail "fuzz (scripts/fuzz.sh 60; the failing input is in build/asan/artifacts)"
  echo
  echo "test.sh: all stages passed in $((SECONDS - start))s"
fi
totals
