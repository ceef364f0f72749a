#!/usr/bin/env bash
# An unknown option makes ptk exit nonzero with exactly one error line on stderr that names
# the option, and nothing on stdout.
# usage: unknown_option.sh PTK
set -euo pipefail
ptk=$1 bad=--no-such-option
err=$(mktemp)
trap 'rm -f "$err"' EXIT

rc=0
out=$("$ptk" "$bad" 2>"$err") || rc=$?
[[ $rc -ne 0 ]] || { echo "FAIL: ptk $bad exited 0, want nonzero" >&2; exit 1; }
[[ -z $out ]] || { echo "FAIL: ptk $bad wrote to stdout: $out" >&2; exit 1; }
lines=$(grep -c . "$err" || true)
[[ $lines -eq 1 ]] || {
  echo "FAIL: ptk $bad printed $lines non-empty lines on stderr, want exactly 1:" >&2
  cat "$err" >&2
  exit 1
}
grep -qF -- "$bad" "$err" || { echo "FAIL: the error does not name $bad: $(cat "$err")" >&2; exit 1; }
echo "ok: exit $rc, $(cat "$err")"
