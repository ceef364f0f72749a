#!/usr/bin/env bash
# ptk as a user installs it: a built tree installed into a temporary prefix, two programs built
# against that prefix alone and run on a tracee, then the Debian package checked.
#
#   1. `cmake --install BUILD --prefix TMP`; no installed CMake or pkg-config file may name the
#      source or build tree
#   2. find_package(ptk): tests/install/find_package builds examples/ex4_reverse_write.cpp with
#      CMake, which then reverses what `printf` writes
#   3. pkg-config: tests/install/pkg_config/write_stack.cpp built with
#      `c++ ... $(pkg-config --cflags --libs ptk)`, which names the function and module of each
#      write of `printf` (seccomp stops and the unwinder: every archive and library of ptk.pc)
#   4. `cpack -G DEB` (reusing BUILD): the package lists the tool, the headers, the archives,
#      ptkConfig.cmake, ptk.pc, the man pages (gzipped) and the completions under /usr, and
#      dpkg-shlibdeps filled its Depends
# The version of the installed `ptk --version`, of the CMake package, of ptk.pc and of the .deb
# must be the same (project(VERSION) in CMakeLists.txt sets them all).
#
# usage: scripts/install-test.sh [BUILD_DIR]   (default build/ci; it must be built)
# Installing the .deb on the machine is scripts/deb-check.sh (root, by hand).
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

build=${1:-build/ci}
[[ -x $build/src/cli/ptk ]] || {
  echo "install-test: $build/src/cli/ptk not found: build the tree first" >&2
  exit 2
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ptk-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

fail() {
  echo "install-test: FAIL: $*" >&2
  exit 1
}
# run LOG CMD...: runs CMD with its output in LOG, shown only if it fails.
run() {
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    fail "$* (output above)"
  fi
}
# same WHAT GOT WANT
same() {
  [[ $2 == "$3" ]] || fail "$1: got '$2', want '$3'"
  echo "ok: $1: $2"
}

# 1. Install.
run "$tmp/install.log" cmake --install "$build" --prefix "$prefix"
version=$("$prefix/bin/ptk" --version) || fail "the installed ptk --version failed"
version=${version#ptk }
pc=$(find "$prefix" -name ptk.pc -path '*/pkgconfig/*')
config=$(find "$prefix" -name ptkConfig.cmake)
[[ -n $pc && -n $config ]] || fail "ptk.pc or ptkConfig.cmake not installed"
src=$(pwd -P)
bld=$(cd "$build" && pwd -P)
if leaks=$(grep -rlF -e "$src" -e "$bld" "$(dirname "$config")" "$pc"); then
  fail "installed files name the source or build tree: $leaks"
fi
echo "ok: installed ptk $version into a temporary prefix ($(find "$prefix" -type f | wc -l) files)"

# 2. find_package(ptk). -j1: the tests of the suite may run beside it on a small machine.
run "$tmp/cmake.log" cmake -S tests/install/find_package -B "$tmp/fp" -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix"
found=$(sed -n 's/^-- ptk \(.*\) from \(.*\)$/\1 \2/p' "$tmp/cmake.log")
same "find_package(ptk): version and package directory" "$found" "$version $(dirname "$config")"
run "$tmp/cmake-build.log" cmake --build "$tmp/fp" -j1
out=$("$tmp/fp/reverse_write" printf 'ptk install test') || fail "reverse_write exited $?"
same "find_package consumer (ex4_reverse_write printf 'ptk install test')" "$out" \
  'tset llatsni ktp'

# 3. pkg-config.
PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_PATH
same "pkg-config --modversion ptk" "$(pkg-config --modversion ptk)" "$version"
read -ra flags < <(pkg-config --cflags --libs ptk)
run "$tmp/pc-build.log" c++ -std=c++20 -O1 -o "$tmp/write_stack" \
  tests/install/pkg_config/write_stack.cpp "${flags[@]}"
out=$("$tmp/write_stack" printf 'one\n') || fail "write_stack exited $?"
# The frame's symbol is libc's name for write (which one depends on the libc build).
re=$'^write\\(1, 4 bytes\\) from [_A-Za-z0-9]*write[_A-Za-z0-9]* in libc\\.so\\.6\none$'
[[ $out =~ $re ]] || fail "pkg-config consumer (write_stack printf 'one\\n') printed:"$'\n'"$out"
printf '%s\n' "ok: pkg-config consumer (write_stack printf 'one\\n'): ${out%%$'\n'*}"

# 4. The Debian package, from the same tree (cpack installs it again into its own staging).
run "$tmp/cpack.log" cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/deb"
debs=("$tmp"/deb/ptk_"$version"_*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || fail "cpack made no ptk_${version}_*.deb"
deb=${debs[0]}
dpkg-deb -c "$deb" | awk '{print $NF}' >"$tmp/deb.list"
lib=./usr/$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")
for f in ./usr/bin/ptk ./usr/include/ptk/tamper/hook.h "$lib/libptk_sys.a" \
  "$lib/cmake/ptk/ptkConfig.cmake" "$lib/pkgconfig/ptk.pc" ./usr/share/doc/ptk/README.md \
  ./usr/share/doc/ptk/docs/trace.md \
  ./usr/share/man/man1/ptk.1.gz ./usr/share/man/man1/ptk-trace.1.gz \
  ./usr/share/bash-completion/completions/ptk ./usr/share/zsh/vendor-completions/_ptk; do
  grep -qxF "$f" "$tmp/deb.list" || fail "$(basename "$deb") lacks $f"
done
if grep -v '^\./usr/' "$tmp/deb.list" | grep -qvx '\./'; then
  fail "$(basename "$deb") installs outside /usr: $(grep -v '^\./usr/' "$tmp/deb.list" | head -3)"
fi
# The package's ptk.pc names /usr (cmake/cpack_pc_prefix.cmake), not a path relative to itself.
same "$(basename "$deb"): ptk.pc's prefix" \
  "$(dpkg-deb --fsys-tarfile "$deb" | tar -xO "$lib/pkgconfig/ptk.pc" | grep '^prefix=')" \
  prefix=/usr
same "$(basename "$deb") Version" "$(dpkg-deb -f "$deb" Version)" "$version"
depends=$(dpkg-deb -f "$deb" Depends)
[[ $depends == *libc6* && $depends == *libdw1* && $depends == *capstone* ]] ||
  fail "Depends lacks what dpkg-shlibdeps finds (libc6, libdw1) or capstone: '$depends'"
echo "ok: $(basename "$deb"): $(stat -c %s "$deb") bytes, $(grep -c '[^/]$' "$tmp/deb.list") files"
echo "    Depends: $depends"
