#!/usr/bin/env bash
# Scores `ptk trace` against strace on the real programs of issue 14's last bar: ip addr,
# ip route, ss -tanu, getfacl, a SysV IPC program (ipcmk/ipcrm) and an io_uring program
# (bench/fidelity/uring_io.c). For each, strace-diff (../shared/tools/strace-diff) scores
# strace against itself (its run-to-run agreement: pids, addresses and timings aside, two runs
# of strace differ where the program's own output differs) and ptk against strace; ptk passes a
# case when its score is at least strace's own minus 1 point.
#
# usage: bench/fidelity.sh [--ptk PATH] [--strace-diff PATH] [--show N]
#   --ptk PATH          the ptk binary (default build/ci/src/cli/ptk)
#   --strace-diff PATH  the scorer (default ../shared/tools/strace-diff next to the repository)
#   --show N            print the first N differing hunks of each case ptk fails
# Needs root for the packages it installs when missing: iproute2, acl, liburing-dev.
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
ptk=$repo/build/ci/src/cli/ptk
scorer=$repo/../shared/tools/strace-diff
show=0
while (($#)); do
  case $1 in
    --ptk) ptk=$2; shift ;;
    --strace-diff) scorer=$2; shift ;;
    --show) show=$2; shift ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    *) echo "fidelity: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ -x $ptk ]] || { echo "fidelity: no ptk at $ptk (--ptk PATH)" >&2; exit 1; }
[[ -x $scorer ]] || { echo "fidelity: no strace-diff at $scorer (--strace-diff PATH)" >&2; exit 1; }

missing=()
for p in iproute2 acl liburing-dev strace gcc; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "fidelity: installing ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -o "$tmp/uring_io" "$repo/bench/fidelity/uring_io.c" -luring
# SysV IPC: a message queue made, inspected and removed by util-linux's tools.
cat >"$tmp/sysv_ipc" <<'IPC'
#!/bin/sh
id=$(ipcmk -Q | awk '{print $NF}')
ipcs -q -i "$id" >/dev/null
ipcrm -q "$id"
IPC
chmod +x "$tmp/sysv_ipc"
cat >"$tmp/cases" <<CASES
ip addr
ip route
ss -tanu
getfacl /etc/passwd
$tmp/sysv_ipc
$tmp/uring_io
CASES

# One score per case: "PERCENT<TAB>command" from strace-diff's "ok/FAIL  NN.N%  ...  sh -c CMD"
# (CMD quoted when it has a blank).
score() {
  "$scorer" --min 0 --tracer "$1" --cases "$tmp/cases" 2>&1 |
    sed -n "s/^\(ok\|FAIL\) *\([0-9.]*\)%.*sh -c \(.*\)$/\2\t\3/p" | sed "s/\t'\(.*\)'$/\t\1/"
}

echo "load at start: $(uptime | sed 's/.*load average: //')"
paste <(score "strace -f -qq -o {out}") <(score "$ptk trace -f -qq -o {out}") |
  awk -F'\t' -v show="$show" '
    BEGIN { printf "%-8s %-8s %-6s %s\n", "strace", "ptk", "bar", "case"; bad = 0 }
    { ok = ($3 + 0 >= $1 - 1.0); if (!ok) bad++
      printf "%6.1f%%  %6.1f%%  %-6s %s\n", $1, $3, ok ? "ok" : "BELOW", $2 }
    END { printf "%d of %d cases below strace'"'"'s own agreement minus 1 point\n", bad, NR
          exit bad != 0 }'
