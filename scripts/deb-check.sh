#!/usr/bin/env bash
# The .deb on this machine, by hand (root): installs it with apt, checks the installed ptk,
# removes it and checks that it left no file behind. ptk is never left installed.
#
#   1. the files under /usr and /etc are listed
#   2. `apt-get install ./ptk_*.deb`; `ptk --version` from /usr/bin, `pkg-config --modversion
#      ptk`, and, where the package has them, its man pages (`man --warnings`, no warning) and
#      bash completion (`complete -p ptk` after sourcing it)
#   3. `apt-get remove ptk`; the files under /usr and /etc are listed again: none may be new,
#      and none of the files the package had installed may remain (then purged)
#
# usage: scripts/deb-check.sh [DEB]
#   DEB  the package to check; by default cpack builds one from build/ci (which must be built)
# Another program installing packages meanwhile shows up in step 3's comparison: rerun then.
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

((EUID == 0)) || {
  echo "deb-check: needs root (apt-get install/purge)" >&2
  exit 2
}
if dpkg-query -W -f='${Status}\n' ptk 2>/dev/null | grep -q 'ok installed'; then
  echo "deb-check: ptk is installed already: remove it first (apt-get purge ptk)" >&2
  exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptk-deb-check.XXXXXX")
chmod 755 "$tmp"  # apt's download user reads the .deb from here
installed=0
cleanup() {
  if ((installed)); then apt-get remove -y -qq ptk >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "deb-check: FAIL: $*" >&2
  exit 1
}

if (($# > 0)); then
  deb=$(readlink -f "$1")
else
  cpack -G DEB --config build/ci/CPackConfig.cmake -B "$tmp/deb" >"$tmp/cpack.log" 2>&1 ||
    { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB"; }
  deb=$(echo "$tmp"/deb/ptk_*.deb)
fi
[[ -f $deb ]] || fail "no package: $deb"
cp "$deb" "$tmp/"
deb=$tmp/$(basename "$deb")
version=$(dpkg-deb -f "$deb" Version)
echo "deb-check: $(basename "$deb"), $(stat -c %s "$deb") bytes"
echo "  Depends: $(dpkg-deb -f "$deb" Depends)"

list_files() { find /usr /etc -xdev \( -type f -o -type l \) 2>/dev/null | sort; }

list_files >"$tmp/before"
installed=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$deb" >"$tmp/apt.log" 2>&1 ||
  { cat "$tmp/apt.log" >&2; fail "apt-get install $deb"; }
dpkg -L ptk | sort >"$tmp/owned"
echo "ok: installed; the package owns $(while read -r f; do if [[ -f $f ]]; then echo; fi; done <"$tmp/owned" | wc -l) files"

[[ $(command -v ptk) == /usr/bin/ptk ]] || fail "ptk on PATH is $(command -v ptk), not /usr/bin/ptk"
out=$(ptk --version)
[[ $out == "ptk $version" ]] || fail "ptk --version printed '$out', want 'ptk $version'"
echo "ok: ptk --version: $out"
# The installed tool at work: a trace, and a step that disassembles (capstone, from Depends).
ptk trace -o "$tmp/trace.txt" -- true || fail "ptk trace -- true"
grep -q '^execve(' "$tmp/trace.txt" || fail "ptk trace -- true: no execve line"
out=$(ptk step --max 3 -- true) || fail "ptk step --max 3 -- true"
[[ $out == *'<_start+0>'* ]] || fail "ptk step --max 3 -- true: no disassembled _start:"$'\n'"$out"
echo "ok: ptk trace and ptk step ran (step: $(wc -l <<<"$out") lines)"
out=$(pkg-config --modversion ptk)
[[ $out == "$version" ]] || fail "pkg-config --modversion ptk: '$out', want '$version'"
echo "ok: pkg-config --modversion ptk: $out"
echo "ok: pkg-config --cflags --libs ptk: $(pkg-config --cflags --libs ptk)"
read -ra flags < <(pkg-config --cflags --libs ptk)
c++ -std=c++20 -O1 -o "$tmp/write_stack" tests/install/pkg_config/write_stack.cpp "${flags[@]}" ||
  fail "building write_stack with pkg-config from /usr"
echo "ok: write_stack built from /usr: $("$tmp/write_stack" printf 'one\n' | head -1)"
# find_package(ptk) with CMake's default search path (configure only; scripts/install-test.sh
# builds and runs the consumers).
cmake -S tests/install/find_package -B "$tmp/fp" >"$tmp/cmake.log" 2>&1 ||
  { cat "$tmp/cmake.log" >&2; fail "find_package(ptk) from /usr"; }
echo "ok: find_package(ptk): $(sed -n 's/^-- \(ptk .* from .*\)$/\1/p' "$tmp/cmake.log")"
# Man pages and completions, where the package has them.
mapfile -t pages < <(grep -E '^/usr/share/man/man[0-9]/.*\.[0-9]\.gz$' "$tmp/owned" || true)
for page in "${pages[@]}"; do
  warnings=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  [[ -z $warnings ]] || fail "man --warnings $page:"$'\n'"$warnings"
done
((${#pages[@]} == 0)) || echo "ok: ${#pages[@]} man pages render without a warning"
bash_completion=/usr/share/bash-completion/completions/ptk
if grep -qxF "$bash_completion" "$tmp/owned"; then
  out=$(bash -c "source $bash_completion && complete -p ptk") || fail "complete -p ptk"
  echo "ok: bash completion: $out"
fi

apt-get remove -y -qq ptk >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log" >&2; fail "apt-get remove ptk"; }
list_files >"$tmp/after"
installed=0
# ptk has no configuration file: remove leaves dpkg no record to purge.
if dpkg-query -W ptk >/dev/null 2>&1; then
  apt-get purge -y -qq ptk >"$tmp/apt.log" 2>&1 || { cat "$tmp/apt.log" >&2; fail "apt-get purge ptk"; }
fi
new=$(comm -13 "$tmp/before" "$tmp/after")
gone=$(comm -23 "$tmp/before" "$tmp/after")
left=$(while read -r f; do if [[ -f $f || -L $f ]]; then echo "$f"; fi; done <"$tmp/owned")
echo "ok: removed; files under /usr and /etc: $(wc -l <"$tmp/before") before, $(wc -l <"$tmp/after") after"
[[ -z $gone ]] || echo "note: files gone since (not ptk's doing?):"$'\n'"$gone"
[[ -z $new ]] || fail "files new since the install:"$'\n'"$new"
[[ -z $left ]] || fail "files of the package left behind:"$'\n'"$left"
echo "ok: no file of the package left behind"
