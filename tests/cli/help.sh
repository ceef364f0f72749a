#!/usr/bin/env bash
# `ptk --help` and `ptk -h` exit 0 and print a usage that says what ptk is (it mentions ptrace).
# usage: help.sh PTK
set -euo pipefail
ptk=$1

for flag in --help -h; do
  rc=0
  out=$("$ptk" "$flag" 2>&1) || rc=$?
  [[ $rc -eq 0 ]] || { echo "FAIL: ptk $flag exited $rc, want 0" >&2; exit 1; }
  grep -q ptrace <<<"$out" || { echo "FAIL: ptk $flag does not mention ptrace:" >&2; echo "$out" >&2; exit 1; }
  grep -qi usage <<<"$out" || { echo "FAIL: ptk $flag prints no usage line:" >&2; echo "$out" >&2; exit 1; }
done
echo "ok: --help and -h"
