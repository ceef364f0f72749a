#!/usr/bin/env bash
# Scores `ptk trace` as a drop-in strace against strace's own test suite.
#
# Each test of strace's suite runs a small program that prints what strace must print, runs
# $STRACE on it and compares. This script fetches Debian's strace source package (the version
# of the installed strace, 6.1 on bookworm), builds the suite's test programs once for the native
# x86_64 personality (--enable-mpers=no), then runs the suite twice: with the installed strace,
# and with STRACE pointing to a wrapper that execs `ptk trace` with the same arguments. It
# prints, per test and in total, which tests pass with each, and ptk's failures grouped by cause
# (bench/strace_suite_report.py). Nothing of strace lands in the repository: everything lives
# in the work folder (default build/strace-suite, git-ignored).
#
# usage: bench/strace-suite.sh [options]
#   --work DIR         work folder: source, build, results, report (default build/strace-suite)
#   --ptk PATH         the ptk binary (default build/ci/src/cli/ptk); copied into the work
#                      folder before the ptk pass, so a rebuild during the run changes nothing
#   --strace PATH      the reference strace (default: strace on PATH)
#   --only REGEX       only the tests whose file name matches (grep -E), e.g. '^(ioctl|prctl)'
#   --pass WHICH       strace, ptk, both (default) or none (report from the last results)
#   --jobs N           tests run in parallel (default 2)
#   --build-jobs N     make -j for building the test programs (default 1; built niced)
#   --timeout SEC      per-test time limit, the suite's TIMEOUT_DURATION (default 300; the
#                      suite's own is 1500, which lets each hang of ptk's cost 25 minutes)
#   --build-only       fetch and build, run nothing
#
# Setup (first run only; needs root for apt): a deb-src entry for bookworm if apt has none for
# strace, the build dependencies that are missing, `apt-get source strace`, configure, make.
# Reruns reuse all of it: the stamp $WORK/obj/.tests-built marks a complete build.
#
# Output: the machine load at start and end, each pass's duration and counts, the summary table.
# Files: $WORK/report.tsv (test, strace result, ptk result, cause, detail), $WORK/summary.txt,
# $WORK/results/{strace,ptk}/NAME.{log,trs} (the harness's own logs: the diffs are there), and
# NAME.dir/ of a test that did not pass (the small files of its folder: stderr it redirected).
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
work=$repo/build/strace-suite
ptk=$repo/build/ci/src/cli/ptk
strace_bin=$(command -v strace || true)
only=
pass=both
jobs=2
build_jobs=1
timeout=300
build_only=0

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die() {
  echo "strace-suite: $*" >&2
  exit 1
}
say() { echo "strace-suite: $*" >&2; }

while (($#)); do
  case $1 in
    --work) work=$2; shift ;;
    --ptk) ptk=$2; shift ;;
    --strace) strace_bin=$2; shift ;;
    --only) only=$2; shift ;;
    --pass) pass=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    --build-jobs) build_jobs=$2; shift ;;
    --timeout) timeout=$2; shift ;;
    --build-only) build_only=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done
case $pass in strace | ptk | both | none) ;; *) die "--pass: strace, ptk, both or none" ;; esac
[[ $jobs =~ ^[1-9][0-9]*$ && $build_jobs =~ ^[1-9][0-9]*$ && $timeout =~ ^[1-9][0-9]*$ ]] ||
  die "--jobs, --build-jobs and --timeout take a positive number"
mkdir -p "$work"
work=$(cd "$work" && pwd)
obj=$work/obj

# --- setup: source, build dependencies, configure, build ------------------------------------

# Packages the suite needs beyond a C toolchain: dpkg-dev unpacks the source package; gawk runs
# the tests' awk checks; libunwind and libiberty give the stack-trace tests (-k) the same
# configuration as Debian's strace; libbluetooth-dev the bluetooth socket tests. This is Debian's
# Build-Depends minus debhelper and gcc-multilib, which only the package and the 32-bit
# personalities need (`apt-get build-dep strace` would install those too).
build_deps=(gcc make gawk xz-utils dpkg-dev libunwind-dev libiberty-dev libbluetooth-dev)

need_root() {
  ((EUID == 0)) || die "$1 needs root (apt); run once as root, or install it by hand"
}

apt_quiet() {
  DEBIAN_FRONTEND=noninteractive apt-get "$@" >>"$work/apt.log" 2>&1 ||
    die "apt-get $* failed (see $work/apt.log)"
}

ensure_deps() {
  local missing=() p
  for p in "${build_deps[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  need_root "installing ${missing[*]}"
  say "installing ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$work/apt.log" 2>&1 || {
    apt_quiet update -qq # a fresh machine may have no package lists yet
    apt_quiet install -y -qq --no-install-recommends "${missing[@]}"
  }
}

# apt-get source needs a deb-src entry. This machine's sources are deb822 files
# (/etc/apt/sources.list.d/debian.sources, `Types: deb`), so the entry is one more such file,
# written only when apt knows no source package for strace.
deb_src_file=/etc/apt/sources.list.d/ptk-strace-suite-src.sources
ensure_deb_src() {
  apt-cache showsrc strace 2>/dev/null | grep -q '^Package: strace$' && return 0
  need_root "adding a deb-src entry"
  if [[ ! -f $deb_src_file ]]; then
    say "adding $deb_src_file (deb-src for bookworm)"
    cat >"$deb_src_file" <<'EOF'
# Written by ptk's bench/strace-suite.sh: the source packages of bookworm, for `apt-get source strace`.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  fi
  apt_quiet update -qq
  apt-cache showsrc strace 2>/dev/null | grep -q '^Package: strace$' ||
    die "apt still knows no source package for strace after adding $deb_src_file"
}

# Prints the unpacked source folder, fetching it first if there is none.
ensure_source() {
  local src version
  src=$(find "$work/src" -maxdepth 1 -type d -name 'strace-*' 2>/dev/null | head -n 1)
  if [[ -n $src && -x $src/configure ]]; then
    echo "$src"
    return
  fi
  ensure_deb_src
  rm -rf "$work/src"
  mkdir -p "$work/src"
  # The version of the installed strace, so the suite is the one the reference was built from.
  version=$(dpkg-query -W -f='${Version}' strace 2>/dev/null || true)
  say "apt-get source strace${version:+=$version}"
  (cd "$work/src" && apt-get source -qq "strace${version:+=$version}" >>"$work/apt.log" 2>&1) || {
    say "strace=$version has no source package here; fetching the newest one"
    (cd "$work/src" && apt_quiet source -qq strace)
  }
  src=$(find "$work/src" -maxdepth 1 -type d -name 'strace-*' | head -n 1)
  [[ -n $src && -x $src/configure ]] || die "no unpacked strace source in $work/src"
  echo "$src"
}

ensure_build() {
  local src start
  [[ -f $obj/.tests-built ]] && return 0
  ensure_deps
  src=$(ensure_source)
  start=$SECONDS
  if [[ ! -f $obj/tests/Makefile ]]; then
    # --enable-mpers=no: the x86_64 personality only (no tests-m32, tests-mx32). libunwind as
    # the unwinder, as Debian's strace has it (configure prefers libdw when both are there).
    say "configuring $src (--enable-mpers=no: the x86_64 personality only)"
    mkdir -p "$obj"
    (cd "$obj" && nice -n 19 "$src/configure" --enable-mpers=no --with-libunwind \
      >configure.log 2>&1) ||
      die "configure failed (see $obj/configure.log)"
  fi
  # `make check` with an empty TESTS builds every test program and runs none. Only tests/ is
  # built: the suite runs $STRACE, not the strace it was configured with.
  say "building the test programs (make -j$build_jobs, niced; log: $obj/build.log)"
  nice -n 19 make -C "$obj/tests" -j"$build_jobs" check TESTS= >"$obj/build.log" 2>&1 ||
    die "building the test programs failed (see the end of $obj/build.log)"
  echo "build_seconds=$((SECONDS - start))" >"$obj/.tests-built"
  say "built in $((SECONDS - start))s"
}

# --- running the suite ------------------------------------------------------------------------

# The TESTS of the suite's Makefile (after the build's configuration), one a line, --only applied.
list_tests() {
  local mk=$work/print-tests.mk
  # shellcheck disable=SC2016 # $(TESTS) is for make
  printf 'print-tests:\n\t@printf "%%s\\n" $(TESTS)\n' >"$mk"
  make -s -C "$obj/tests" -f Makefile -f "$mk" print-tests | grep -E -e "${only:-.}" || true
}

load() { uptime | sed 's/^ *//'; }

# Stands in for strace. The suite's run.sh runs `$STRACE -V` before every test and only checks
# that it succeeds; ptk trace has no -V, so that exact call is answered here, labelled as this
# wrapper. Every other call, strace-V.test's `-o log -V` included, goes to ptk trace with its
# arguments unchanged: the point is to measure ptk as a drop-in.
write_wrapper() {
  local bin=$1 wrapper=$2
  mkdir -p "$(dirname "$wrapper")"
  cat >"$wrapper" <<EOF
#!/bin/sh
# Written by ptk's bench/strace-suite.sh: runs \`ptk trace\` where strace's test suite runs strace.
if [ \$# -eq 1 ] && [ "\$1" = -V ]; then
  echo "ptk trace through bench/strace-suite.sh's wrapper (not strace): $bin"
  exit 0
fi
exec '$bin' trace "\$@"
EOF
  chmod +x "$wrapper"
}

# run_pass NAME STRACE_COMMAND: runs the selected tests through the automake harness with
# STRACE=STRACE_COMMAND, then moves each test's .log/.trs to $WORK/results/NAME/.
run_pass() {
  local name=$1 cmd=$2 out=$work/results/$1 start t base
  local -a logs
  mkdir -p "$out"
  mapfile -t logs < <(sed 's/\.test$//' "$work/selected.txt")
  cd "$obj/tests"
  # Stale logs would stand for tests that did not run this time.
  for base in "${logs[@]}"; do
    rm -f -- "$base.log" "$base.trs" "$out/$base.log" "$out/$base.trs"
  done
  say "$name pass: ${#logs[@]} tests, -j$jobs, ${timeout}s each at most (log: $work/$name-make.log)"
  echo "$name pass start: $(load)"
  start=$SECONDS
  # check-TESTS, not check: it only runs the tests (the programs are built). It fails when a
  # test fails, which is what is being counted. The suite's run.sh puts each test under
  # `timeout -k 5 -s XCPU $TIMEOUT_DURATION`; init.sh turns the XCPU into a "time limit" failure.
  STRACE=$cmd TIMEOUT_DURATION=$timeout \
    make -k -j"$jobs" check-TESTS TESTS="$(tr '\n' ' ' <"$work/selected.txt")" \
    >"$work/$name-make.log" 2>&1 || true
  t=$((SECONDS - start))
  echo "$name pass end:   $(load)"
  for base in "${logs[@]}"; do
    [[ -f $base.trs ]] && mv -f -- "$base.trs" "$out/"
    [[ -f $base.log ]] && mv -f -- "$base.log" "$out/"
    # Some tests send the tracer's stderr to a file of their folder (NAME.dir), so the .log
    # has no word of why; the small files of a failed test's folder are kept for the report.
    # (A folder can hold hundreds of MB of expected output: big files stay behind.)
    rm -rf -- "$out/$base.dir"
    if [[ -d ${base%.gen}.dir ]] && ! grep -q '^:test-result: PASS' "$out/$base.trs" 2>/dev/null; then
      mkdir -p "$out/$base.dir"
      find "${base%.gen}.dir" -maxdepth 1 -type f -size -1024k -exec cp -t "$out/$base.dir" {} +
    fi
  done
  {
    echo "command=$cmd"
    echo "tests=${#logs[@]}"
    echo "jobs=$jobs"
    echo "timeout=$timeout"
    echo "seconds=$t"
    echo "finished=$(date '+%Y-%m-%d %H:%M:%S')"
  } >"$work/results/$name.meta"
  echo "$name pass: ${t}s"
  cd "$work"
}

# --- main -------------------------------------------------------------------------------------

echo "start: $(load)"
ensure_build
((build_only)) && exit 0

list_tests >"$work/selected.txt"
[[ -s $work/selected.txt ]] || die "no test matches --only '$only'"

if [[ $pass == strace || $pass == both ]]; then
  [[ -x $strace_bin ]] || die "no strace (--strace PATH)"
  run_pass strace "$strace_bin"
fi
if [[ $pass == ptk || $pass == both ]]; then
  [[ -x $ptk ]] || die "no ptk binary at $ptk (--ptk PATH; build it with cmake --preset ci)"
  # A copy, so that a rebuild of that tree while the pass runs does not change what is measured.
  cp -f -- "$ptk" "$work/ptk-under-test"
  echo "ptk=$(readlink -f "$ptk") sha256=$(sha256sum "$ptk" | cut -c1-16)" >"$work/results/ptk.binary"
  write_wrapper "$work/ptk-under-test" "$work/wrapper/strace"
  run_pass ptk "$work/wrapper/strace"
fi

python3 "$repo/bench/strace_suite_report.py" --work "$work" --tests "$work/selected.txt" |
  tee "$work/summary.txt"
echo "end: $(load)"
