#!/usr/bin/env bash
# The README's first command: install what is missing, build what the demo needs (ptk, the
# examples and their demo programs: not the test suite), run the demo.
#
# On a kernel that cannot run 32-bit x86 programs (`ptk host i386` says no), the 32-bit part
# of the demo runs in the VM lane (scripts/vm-test.sh: a stock Debian kernel under qemu) and
# says so. PTK_QUICKSTART_VM=0 skips it there instead; PTK_QUICKSTART_VM=1 runs it in the VM
# on any host. Works from any directory.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

./scripts/deps.sh

bin=build/release
tracees=$bin/tests/tracees
ptk=$bin/src/cli/ptk
demo_programs=(nostd_article_child_64 nostd_article_child_32 hello_writes_64 hello_writes_32)

cmake --preset release
cmake --build --preset release --target ptk ptk_examples "${demo_programs[@]}"

echo
echo "== ex1: the first syscall of a 64-bit child (59 = execve) =="
"$bin/examples/ex1_first_syscall" "$tracees/nostd_article_child_64"
echo
echo "== ex2: every write() of a 64-bit child: its arguments at entry, its result at exit =="
"$bin/examples/ex2_write_args" "$tracees/hello_writes_64"

# The article's own ABI: int $0x80 from a 32-bit program.
demo_32() {
  echo
  echo "== ex1: the first syscall of a 32-bit child (11 = execve, via int \$0x80) =="
  "$bin/examples/ex1_first_syscall" "$tracees/nostd_article_child_32"
  echo
  echo "== ex2: every write() of a 32-bit child: its arguments at entry, its result at exit =="
  "$bin/examples/ex2_write_args" "$tracees/hello_writes_32"
  echo
  echo "== ptk trace: a bundled 32-bit demo program, traced as strace would show it =="
  "$ptk" trace -- "$tracees/hello_writes_32"
}

vm=${PTK_QUICKSTART_VM-auto}
if [[ $vm == auto ]] && "$ptk" host i386 >/dev/null; then
  demo_32
elif [[ $vm == 0 ]]; then
  echo
  echo "== the 32-bit demo: skipped (PTK_QUICKSTART_VM=0): $("$ptk" host i386 | cut -c28-) =="
  echo "(to run it in a VM: scripts/vm-test.sh --run" \
    "'$bin/examples/ex1_first_syscall $tracees/nostd_article_child_32')"
else
  echo
  if [[ $vm == auto ]]; then
    echo "== the 32-bit demo: $("$ptk" host i386 | cut -c28-) =="
  fi
  echo "== the 32-bit demo runs in a VM: scripts/vm-test.sh boots a stock Debian kernel under qemu =="
  # The function's own text is the job: the guest sees this tree at the same path.
  ./scripts/vm-test.sh --quiet --run "$(declare -p bin tracees ptk); $(declare -f demo_32); demo_32"
fi

echo
echo "== ptk trace -f -e trace=%process,write: a shell pipeline, forks followed =="
"$ptk" trace -f -e trace=%process,write -- sh -c 'echo hello from ptk | tr a-z A-Z'
echo
echo "== ptk host: what this machine can do for ptk =="
"$ptk" host
