#!/usr/bin/env bash
# The README's first command: install what is missing, build the release preset, run a demo.
# Works from any directory.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

./scripts/deps.sh

cmake --preset release
cmake --build --preset release

bin=build/release
tracees=$bin/tests/tracees
if [[ ! -d $tracees ]]; then
  echo "quickstart.sh: $tracees is missing; the demo needs PTK_BUILD_TESTS=ON" >&2
  exit 1
fi

echo
echo "== ex1: the first syscall of a 64-bit child (59 = execve) =="
"$bin/examples/ex1_first_syscall" "$tracees/nostd_article_child_64"
echo
echo "== ex1: the first syscall of a 32-bit child (11 = execve, via int \$0x80) =="
"$bin/examples/ex1_first_syscall" "$tracees/nostd_article_child_32"
echo
echo "== ex2: every write() of a 32-bit child: its arguments at entry, its result at exit =="
"$bin/examples/ex2_write_args" "$tracees/hello_writes_32"

echo
echo "== ptk trace: a bundled 32-bit demo program, traced as strace would show it =="
"$bin/src/cli/ptk" trace -- "$tracees/hello_writes_32"

echo
echo "== ptk trace -f -e trace=%process,write: a shell pipeline, forks followed =="
"$bin/src/cli/ptk" trace -f -e trace=%process,write -- sh -c 'echo hello from ptk | tr a-z A-Z'
