#!/usr/bin/env bash
# The aarch64 stage of the suite (scripts/test.sh --aarch64 runs it; it runs alone too): the
# `aarch64` preset -- ptk and its tests cross-built with Clang -- and its whole test suite in
# the VM lane's aarch64 guest (scripts/vm-test.sh --arch aarch64: Debian 12's arm64 kernel under
# qemu's software emulation), but for the i386 variants of the tests, since an arm64 kernel runs
# no 32-bit x86. Tests that are x86-only by nature skip there, saying why.
#
# The JUnit report is left in build/aarch64/junit-vm.xml. The last line is `N passed, M failed`
# (skipped tests are not passes: they are counted on a line of their own). Exit 0 only when the
# tree built and every test that ran passed.
#
# usage: scripts/test-aarch64.sh [--timeout SECONDS]   (the guest's deadline, default 4800)
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

timeout=4800
while (($#)); do
  case $1 in
    --timeout)
      [[ ${2:-} =~ ^[0-9]+$ ]] || {
        echo "test-aarch64.sh: --timeout needs a number of seconds" >&2
        exit 2
      }
      timeout=$2
      shift 2
      ;;
    -h | --help)
      sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
      exit 0
      ;;
    *)
      echo "test-aarch64.sh: unknown argument '$1' (usage: scripts/test-aarch64.sh [--timeout SECONDS])" >&2
      exit 2
      ;;
  esac
done

# The ctest names of the i386 variants of parameterised tests (bits32, 32bit, x32, m32...) and
# of the i386 ctest entries (NAME_i386).
readonly I386_VARIANTS='/32|_32|32bit|bits32|m32|x32|_i386'

start=$SECONDS
junit=$PWD/build/aarch64/junit-vm.xml
./scripts/deps.sh aarch64 || {
  echo "test-aarch64.sh: installing the cross build's packages failed (scripts/deps.sh aarch64)" >&2
  exit 1
}
# Built without the eBPF program (its tests skip): with it (docs/hosts.md: vm-test.sh
# --kernel-btf), 10 of its tests still fail in the guest.
cmake --preset aarch64 || {
  echo "test-aarch64.sh: configuring the aarch64 preset failed" >&2
  exit 1
}
cmake --build --preset aarch64 || {
  echo "test-aarch64.sh: the aarch64 cross build failed (Clang, -Werror)" >&2
  exit 1
}
echo "test-aarch64.sh: built in $((SECONDS - start))s; running the suite in the aarch64 guest"
rm -f "$junit"
rc=0
env -u PTK_TEST_ASSUME_MISSING ./scripts/vm-test.sh --arch aarch64 --build-dir build/aarch64 \
  --timeout "$timeout" --junit "$junit" -- -E "$I386_VARIANTS" || rc=$?
if [[ ! -f $junit ]]; then
  echo "test-aarch64.sh: the aarch64 guest reported no test results (vm-test.sh exit $rc)" >&2
  exit 1
fi
read -r passed failed skipped < <(python3 scripts/vm/ctest_junit.py counts "$junit")
echo "test-aarch64.sh: $((SECONDS - start))s in all"
((skipped == 0)) || echo "test-aarch64.sh: $skipped tests skipped (their output says why)"
echo "$passed passed, $failed failed"
((rc == 0 && failed == 0))
