#!/usr/bin/env bash
# `ptk --version` prints exactly "ptk VERSION" on stdout, nothing on stderr, and exits 0.
# usage: version.sh PTK EXPECTED_VERSION
set -euo pipefail
ptk=$1 want="ptk $2"
err=$(mktemp)
trap 'rm -f "$err"' EXIT

rc=0
out=$("$ptk" --version 2>"$err") || rc=$?
[[ $rc -eq 0 ]] || { echo "FAIL: ptk --version exited $rc, want 0" >&2; exit 1; }
[[ $out == "$want" ]] || { echo "FAIL: ptk --version printed '$out', want '$want'" >&2; exit 1; }
[[ ! -s $err ]] || { echo "FAIL: ptk --version wrote to stderr: $(cat "$err")" >&2; exit 1; }
echo "ok: $out"
