#!/usr/bin/env bash
# Checks the aarch64 lane end to end: cross-builds scripts/vm/aarch64-smoke/ (a static ptrace
# tracer, and a GoogleTest program linking fmt, libseccomp, capstone and libdw) with
# cmake/toolchains/aarch64-linux-gnu.cmake into build/aarch64-smoke, and runs both in the
# aarch64 guest (scripts/vm-test.sh --arch aarch64), with the guest's strace and ctest versions.
# Exits with the guest's status: 0 only when all of it passed.
#
# usage: scripts/vm/aarch64-smoke.sh [vm-test.sh OPTIONS, e.g. --quiet]
# Takes ~15 s to build and ~20 s in the VM once the root image is made (the first aarch64 run
# makes it: ~10 min).
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
# shellcheck source=scripts/deps.sh
source "$repo/scripts/deps.sh"
ptk_aarch64_deps

src=$repo/scripts/vm/aarch64-smoke
out=$repo/build/aarch64-smoke
cmake -S "$src" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_TOOLCHAIN_FILE="$repo/cmake/toolchains/aarch64-linux-gnu.cmake" >/dev/null
# Two small files: one compile at a time, under the lock file PTK_BUILD_LOCK names if set (a
# machine whose builds share CPUs through one).
build=(ninja -C "$out" -j1)
[[ -z ${PTK_BUILD_LOCK-} ]] || build=(flock "$PTK_BUILD_LOCK" "${build[@]}")
"${build[@]}" >/dev/null

exec "$repo/scripts/vm-test.sh" --arch aarch64 "$@" --run "
set -e
uname -m
strace -V | head -n 1
ctest --version | head -n 1
$(printf '%q' "$out/tracer")
$(printf '%q' "$out/libs_test") --gtest_brief=1
echo 'aarch64 smoke: passed'"
