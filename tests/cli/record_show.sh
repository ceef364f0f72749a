#!/usr/bin/env bash
# `ptk trace --record FILE` then `ptk show FILE` prints the lines a direct `ptk trace` of the
# same deterministic program prints; ptk show's other outputs run; a record file that is empty,
# garbage, truncated or of a newer version is one line and exit status 1; --record refuses the
# options that print.
# usage: record_show.sh PTK TRACEES_DIR [i386]
#   i386: only the comparison, on the i386 build of the program. Where the host cannot run
#   32-bit programs it exits 77 (ctest's skip) saying "needs host capability: i386", the words
#   scripts/test.sh looks for to run it again in the VM lane.
set -euo pipefail
ptk=$1 tracees=$2 abi=${3:-x86_64}
tmp=$(mktemp -d /tmp/ptk-record-show.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# The same addresses in both runs (no ASLR); what still differs is masked below: the pid, the
# file handle of name_to_handle_at (the file's inode), statfs's free counts (the disk's), and
# the first execve's envp, an address in ptk's own forked child (its stack depth differs
# between ptk trace and ptk trace --record, in a sanitizer build).
norand=(setarch "$(uname -m)" -R)

compare() {  # compare TRACEE: record and show, against a direct trace
  local prog=$tracees/$1 dir=$tmp/work
  rm -rf "$dir" && mkdir "$dir"
  "${norand[@]}" "$ptk" trace -f --record "$tmp/$1.rec" -- "$prog" "$dir" ||
    fail "$1: ptk trace --record exited $?"
  "${norand[@]}" "$ptk" show -o "$tmp/$1.show" "$tmp/$1.rec" || fail "$1: ptk show exited $?"
  rm -rf "$dir" && mkdir "$dir"
  "${norand[@]}" "$ptk" trace -f -o "$tmp/$1.trace" -- "$prog" "$dir" ||
    fail "$1: ptk trace exited $?"
  mask() {  # FILE: its own pid (the first column) as PID, file handles as H, free counts as N
    local pid
    pid=$(awk 'NR == 1 { print $1 }' "$1")
    sed -E "s/\\b$pid\\b/PID/g; s/f_handle=\"[^\"]*\"/f_handle=H/g; s/(f_bfree|f_bavail|f_ffree)=[0-9]+/\1=N/g; s/0x[0-9a-f]+ (\/\* [0-9]+ vars \*\/)/ENVP \1/" "$1"
  }
  if ! diff <(mask "$tmp/$1.trace") <(mask "$tmp/$1.show") >"$tmp/diff"; then
    head -20 "$tmp/diff" >&2
    fail "$1: ptk show of the recording differs from ptk trace (above: < trace, > show)"
  fi
  echo "ok: $1: ptk show prints the $(wc -l <"$tmp/$1.trace") lines of ptk trace"
}
if [[ $abi == i386 ]]; then
  # PTK_TEST_ASSUME_MISSING: as tests/integration/host_skip.h reads it.
  if [[ ,${PTK_TEST_ASSUME_MISSING-}, == *,i386,* ]]; then
    echo "needs host capability: i386 (PTK_TEST_ASSUME_MISSING names it)"
    exit 77
  fi
  if ! why=$("$ptk" host i386); then
    echo "needs host capability: i386 ($(echo "$why" | sed -E 's/^i386 +no +//')); scripts/vm-test.sh runs it in a VM"
    exit 77
  fi
  if [[ ! -x $tracees/file_ops_32 ]]; then
    echo "no i386 build of the test programs here (gcc-multilib builds them)"
    exit 77
  fi
  compare file_ops_32
  exit 0
fi
prog64=file_ops_64
compare "$prog64"

rec=$tmp/$prog64.rec
# The other outputs of the same recording.
"$ptk" show -c "$rec" 2>"$tmp/c" || fail "ptk show -c exited $?"
grep -q '^100.00 .* total$' "$tmp/c" || fail "ptk show -c has no total line: $(cat "$tmp/c")"
"$ptk" show --json -e trace=openat "$rec" 2>"$tmp/json" || fail "ptk show --json exited $?"
grep -q '"type":"syscall",.*"name":"openat"' "$tmp/json" ||
  fail "ptk show --json -e trace=openat: no openat"
if grep '"type":"syscall"' "$tmp/json" | grep -qv '"name":"openat"'; then
  fail "ptk show --json -e trace=openat shows other syscalls"
fi
echo "ok: ptk show -c, --json -e trace=openat"

bad() {  # bad NAME WANT: ptk show of $tmp/NAME says WANT in one line and exits 1
  local rc=0
  "$ptk" show -o "$tmp/out" "$tmp/$1" 2>"$tmp/err" || rc=$?
  [[ $rc -eq 1 ]] || fail "ptk show of a $1 file exited $rc, want 1"
  [[ $(wc -l <"$tmp/err") -eq 1 ]] || fail "ptk show of a $1 file: not one line: $(cat "$tmp/err")"
  grep -qF "$2" "$tmp/err" || fail "ptk show of a $1 file said '$(cat "$tmp/err")', want '$2'"
  echo "ok: $1: $(cat "$tmp/err")"
}
: >"$tmp/empty"
bad empty "empty file, not a record file"
head -c 3000 /dev/urandom >"$tmp/garbage"
bad garbage "not a record file (bad magic"
size=$(stat -c %s "$rec")
head -c $((size - 5)) "$rec" >"$tmp/truncated"
bad truncated "truncated record"
cp "$rec" "$tmp/newer"
printf '\x63' | dd of="$tmp/newer" bs=1 seek=8 conv=notrunc status=none
bad newer "record format version 99, this ptk reads up to 1"
bad missing "cannot open record file"

rc=0
"$ptk" trace --record "$tmp/x.rec" -o "$tmp/x" -- /bin/true 2>"$tmp/err" || rc=$?
[[ $rc -eq 2 ]] || fail "--record with -o exited $rc, want 2"
grep -q "not with -o" "$tmp/err" || fail "--record with -o said: $(cat "$tmp/err")"
echo "ok: --record refuses -o"

# Options after the file, as getopt permutes them; a bad command line is status 2.
"$ptk" show "$rec" -c 2>"$tmp/c2" || fail "ptk show FILE -c exited $?"
cmp -s "$tmp/c" "$tmp/c2" || fail "ptk show FILE -c differs from ptk show -c FILE"
rc=0
"$ptk" show "$rec" "$rec" 2>"$tmp/err" || rc=$?
[[ $rc -eq 2 ]] || fail "ptk show of two files exited $rc, want 2"
echo "ok: ptk show FILE -c; two files: $(cat "$tmp/err")"
