#!/usr/bin/env bash
# The VM test lane: runs ptk's tests (or a command) in a stock Debian kernel under qemu, for
# what the host's kernel lacks (e.g. IA32 emulation, debug-register traps) or another
# architecture (aarch64).
#
# x86_64: the guest sees the host's own root filesystem read-only at / (virtio-9p), under an
# overlay whose writes go to a scratch disk made afresh for each run, and runs the job with the
# host's userland. aarch64: the guest's root is an arm64 Debian 12 (scripts/vm/rootfs.sh, made
# once, ~10 min, and cached under build/vm/aarch64/rootfs/) under such an overlay, and the
# host's directories the job needs (the repository, the working directory, the build tree) are
# shown at their paths over virtio-9p, their writes going to the scratch disk too. Either runs
# the job in the caller's directory, with the host's root's capabilities. Its console is
# streamed here and kept in the run's directory under build/vm/ARCH/KERNEL/runs/, where the
# kernel, the .debs and the initramfs are cached too. No qemu process outlives this script.
#
# usage: scripts/vm-test.sh [OPTIONS] [-- CTEST_ARGS...]
#   --arch ARCH          guest architecture: x86_64 (default) or aarch64 (software emulation
#                        only; its build tree is a cross build, e.g. the aarch64 preset's)
#   --kernel FLAVOUR     stock (Debian 12's linux-image-amd64/-arm64, default) or backports
#                        (bookworm-backports' newer kernel)
#   --append 'ARGS'      more kernel command-line arguments (e.g. ia32_emulation=false)
#   --accel tcg|kvm      qemu's accelerator: tcg (software emulation, default) or kvm
#   --build-dir DIR      the build tree whose tests run (default build/ci)
#   --timeout SECONDS    deadline of the whole run; the VM is killed then (default 2400;
#                        making aarch64's root image has its own, PTK_VM_ROOTFS_TIMEOUT)
#   --cpus N             guest CPUs (default 2)
#   --memory MB          guest memory (default 2048)
#   --junit FILE         copy ctest's JUnit XML report to FILE
#   --run 'COMMAND'      run COMMAND with bash instead of ctest; exit with its status
#   --quiet              do not stream the console; print the summary (and on failure the
#                        end of the log); with --run, the command's output after it ran
#   --kernel-btf FILE    run nothing: fetch the guest's kernel (cached as for a run) and write
#                        its BTF to FILE (scripts/vm/kernel_btf.py), for a cross build's eBPF
#                        program; FILE is left as it is when it already holds that BTF
#
# Without --run: `ctest --test-dir BUILD_DIR --output-on-failure --no-tests=error -j2
# CTEST_ARGS...` (with `--timeout 1200` unless CTEST_ARGS set one); the last line is
# `N passed, M failed`, and the exit status is 0 only when tests ran and all passed. A run in
# which no test ran, or the VM never ran the job, ends with an error line instead.
# Bad arguments: one line saying what is wrong, exit 2. Deadline passed: exit 124. The guest's
# kernel panicked before the job ended (a soft lockup, say): one line with its reason, exit 75.
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=scripts/deps.sh
source "$repo/scripts/deps.sh"
# shellcheck source=scripts/vm/arch.sh
source "$repo/scripts/vm/arch.sh"
# shellcheck source=scripts/vm/kernel.sh
source "$repo/scripts/vm/kernel.sh"
# shellcheck source=scripts/vm/initramfs.sh
source "$repo/scripts/vm/initramfs.sh"
# shellcheck source=scripts/vm/qemu.sh
source "$repo/scripts/vm/qemu.sh"
# shellcheck source=scripts/vm/report.sh
source "$repo/scripts/vm/report.sh"
# shellcheck source=scripts/vm/rootfs.sh
source "$repo/scripts/vm/rootfs.sh"

start=$SECONDS
arch=x86_64
kernel=stock
append=
accel=tcg
build_dir=$repo/build/ci
timeout=2400
cpus=2
memory=2048
junit=
run_cmd=
run_mode=0
kernel_btf=
quiet=0
ctest_args=()

usage_error() {
  echo "vm-test.sh: $* (see scripts/vm-test.sh --help)" >&2
  exit 2
}

# need_value OPTION "$@": the option's value must be there.
need_value() {
  (($# >= 3)) || usage_error "$1 needs a value"
}

need_number() {
  [[ $2 =~ ^[1-9][0-9]*$ ]] || usage_error "$1 wants a positive whole number, not '$2'"
}

parse_args() {
  while (($#)); do
    case $1 in
      --arch | --kernel | --append | --accel | --build-dir | --timeout | --cpus | --memory | \
        --junit | --run | --kernel-btf)
        need_value "$1" "$@"
        set_option "$1" "$2"
        shift 2
        ;;
      --quiet) quiet=1 && shift ;;
      --)
        shift
        ctest_args=("$@")
        break
        ;;
      -h | --help)
        sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
        exit 0
        ;;
      *) usage_error "unknown argument '$1'" ;;
    esac
  done
  if ((run_mode && ${#ctest_args[@]})); then
    usage_error "--run takes no ctest arguments"
  fi
}

set_option() {
  case $1 in
    --arch) arch=$2 ;;
    --kernel)
      [[ $2 == stock || $2 == backports ]] || usage_error "--kernel is stock or backports, not '$2'"
      kernel=$2
      ;;
    --append) append=$2 ;;
    --accel)
      [[ $2 == tcg || $2 == kvm ]] || usage_error "--accel is tcg or kvm, not '$2'"
      accel=$2
      ;;
    --build-dir) build_dir=$(realpath -m -- "$2") ;;
    --timeout) need_number "$1" "$2" && timeout=$2 ;;
    --cpus) need_number "$1" "$2" && cpus=$2 ;;
    --memory) need_number "$1" "$2" && memory=$2 ;;
    --junit) junit=$(realpath -m -- "$2") ;;
    --run) run_cmd=$2 && run_mode=1 ;;
    --kernel-btf) kernel_btf=$(realpath -m -- "$2") ;;
  esac
}

select_arch() {
  vm_arch_select "$arch" || usage_error "unknown --arch '$arch' (supported: x86_64, aarch64)"
  # A guest on the host's root runs the host's own programs; KVM runs the host's CPU only.
  if [[ $VM_ROOT == host || $accel == kvm ]] && [[ $arch != "$(uname -m)" ]]; then
    local what="--arch $arch"
    [[ $accel == kvm ]] && what+=" --accel kvm"
    usage_error "$what needs an $arch host, not $(uname -m)"
  fi
}

check_build_dir() {
  ((run_mode)) && return 0
  [[ -f $build_dir/CTestTestfile.cmake ]] ||
    usage_error "$build_dir is no built ctest tree (no CTestTestfile.cmake); build it first"
}

# The guest has its own /run, /dev, /proc and /sys: host paths under them are not there.
check_visible() {
  local what=$1 path=$2 top
  for top in /run /dev /proc /sys; do
    if [[ $path == "$top" || $path == "$top"/* ]]; then
      usage_error "$what $path is under $top, which the guest has its own of; use a directory elsewhere"
    fi
  done
}

# The guest's /tmp is the scratch disk, so a tree of the host's under /tmp (a clean clone in
# /tmp/fresh, say) is shown there by scripts/vm/init: it mounts the host's /tmp/NAME over the
# guest's, writes going to the scratch disk. Prints each such /tmp/NAME once.
tmp_dirs() {
  local path name top
  for path in "$@"; do
    [[ $path != /tmp ]] || usage_error "the guest cannot show the host's /tmp itself; use a directory in it"
    [[ $path == /tmp/* ]] || continue
    name=${path#/tmp/}
    top=/tmp/${name%%/*}
    # An overlay's options are comma- and colon-separated: such names cannot be given.
    [[ $top =~ ^/tmp/[A-Za-z0-9._+@=-]+$ ]] ||
      usage_error "the guest cannot show $top (a name with a space, comma or colon) under /tmp"
    echo "$top"
  done | sort -u
}

# The host's directories an image-rooted guest shows at their paths (scripts/vm/init): those
# of the arguments not under /tmp (tmp_dirs shows those), each once, none inside another. The
# guest's own system directories cannot be shown over.
host_dirs() {
  local path kept=
  for path in "$@"; do
    [[ $path == /tmp/* ]] && continue
    if [[ $path == / || $path =~ ^/(usr|etc|bin|sbin|lib[^/]*|var|boot)(/|$) ]]; then
      usage_error "the $arch guest cannot show the host's $path over its own system; use a directory elsewhere"
    fi
    echo "$path"
  done | LC_ALL=C sort -u | while read -r path; do
    [[ -n $kept && $path == "$kept"/* ]] && continue
    kept=$path
    echo "$path"
  done
}

# --kernel-btf: the guest kernel's BTF into $kernel_btf, under the lock a run takes to fetch.
write_kernel_btf() {
  local cache=$repo/build/vm/$arch/$kernel lock
  [[ -d $(dirname "$kernel_btf") ]] || usage_error "--kernel-btf: no directory for $kernel_btf"
  mkdir -p "$cache"
  exec {lock}>"$cache/.lock"
  flock "$lock"
  vm_kernel_fetch "$cache" "$kernel"
  exec {lock}>&-
  python3 "$repo/scripts/vm/kernel_btf.py" "$VM_KERNEL_FILE" "$kernel_btf"
}

main() {
  parse_args "$@"
  select_arch
  if [[ -n $kernel_btf ]]; then
    write_kernel_btf
    return
  fi
  check_build_dir
  check_visible "the repository" "$repo"
  check_visible "the working directory" "$(pwd -P)"
  ((run_mode)) || check_visible "the build tree" "$build_dir"
  local -a shown_tmp
  mapfile -t shown_tmp < <(tmp_dirs "$repo" "$(pwd -P)" "$build_dir")
  local -a shown_host=()
  if [[ $VM_ROOT == image ]]; then
    local -a dirs=("$repo" "$(pwd -P)")
    ((run_mode)) || dirs+=("$build_dir")
    host_dirs "${dirs[@]}" >/dev/null # a usage error exits here, not in a subshell
    mapfile -t shown_host < <(host_dirs "${dirs[@]}")
  fi
  [[ -z $junit || -d $(dirname "$junit") ]] || usage_error "--junit: no directory for $junit"
  ptk_vm_deps "${VM_PACKAGES[@]}"

  local cache=$repo/build/vm/$arch/$kernel lock
  mkdir -p "$cache/runs"
  # Two runs at once must not unpack a kernel or build an initramfs over each other.
  exec {lock}>"$cache/.lock"
  flock "$lock"
  vm_kernel_fetch "$cache" "$kernel"
  vm_busybox_fetch "$cache"
  vm_initramfs_build "$cache" "$VM_KERNEL_MODDIR"
  exec {lock}>&-
  local t0=$SECONDS rootfs_seconds=0
  if [[ $VM_ROOT == image ]]; then
    # Its first making is not counted against --timeout.
    vm_rootfs_build "$repo/build/vm/$arch/rootfs"
    rootfs_seconds=$((SECONDS - t0))
  fi

  vm_prune_runs "$cache/runs" 10
  run=$(mktemp -d "$cache/runs/run-XXXXXX")
  write_job "$run/job"
  vm_run_qemu "$run" $((start + rootfs_seconds + timeout - SECONDS))
  report "$run"
}

# The job directory the guest mounts: what to run and how (see scripts/vm/guest-run.sh).
write_job() {
  local dir=$1
  mkdir -p "$dir"
  echo "$repo/scripts/vm/guest-run.sh" >"$dir/guest"
  echo "$VM_ROOT" >"$dir/root"
  printf '%s\n' "${shown_tmp[@]}" >"$dir/tmp_dirs"
  printf '%s\n' "${shown_host[@]}" >"$dir/host_dirs"
  if ((run_mode)); then
    printf '%s\n' "$run_cmd" >"$dir/command"
  else
    ctest_command >"$dir/command"
  fi
  job_conf >"$dir/job.conf"
}

ctest_command() {
  local -a cmd=(ctest --test-dir "$build_dir" --output-on-failure --no-tests=error -j2
    --output-junit /run/ptk-vm/junit.xml)
  local a has_timeout=0
  for a in "${ctest_args[@]}"; do
    [[ $a == --timeout || $a == --timeout=* ]] && has_timeout=1
  done
  # Tests run 25-30x slower under TCG than natively.
  ((has_timeout)) || cmd+=(--timeout 1200)
  printf 'exec'
  printf ' %q' "${cmd[@]}" "${ctest_args[@]}"
  printf '\n'
}

# Settings for guest-run.sh, as bash assignments.
job_conf() {
  local -a env=() limits=() sysctls=()
  local name
  # The environment the tests may read: the caller's basics and ptk's own variables.
  for name in HOME PATH LANG LC_ALL TZ CI; do
    [[ -v $name ]] && env+=("$name=${!name}")
  done
  while read -r name; do
    env+=("$name=${!name}")
  done < <(compgen -e | grep -E '^(PTK_|ASAN_OPTIONS$|UBSAN_OPTIONS$)' || true)
  # Test watchdogs stretch their limits by this factor (the caller's value wins).
  [[ -v PTK_TEST_TIME_SCALE ]] || env+=(PTK_TEST_TIME_SCALE=10)

  mapfile -t limits < <(prlimit --noheadings --raw --output=RESOURCE,SOFT,HARD |
    awk '$1 ~ /^(NOFILE|CORE|STACK|MEMLOCK)$/ { print tolower($1) "=" $2 ":" $3 }')
  # Debian's kernel has Yama (ptrace_scope 1 by default); a host without it restricts nothing.
  local scope=0
  [[ -r /proc/sys/kernel/yama/ptrace_scope ]] && scope=$(</proc/sys/kernel/yama/ptrace_scope)
  sysctls=("kernel/yama/ptrace_scope=$scope"
    "kernel/perf_event_paranoid=$(</proc/sys/kernel/perf_event_paranoid)")

  declare -p env limits sysctls | sed 's/^declare -a /vm_/'
  printf 'vm_cwd=%q\n' "$PWD"
  printf 'vm_capbnd=%q\n' "$(sed -n 's/^CapBnd:[[:space:]]*//p' /proc/self/status)"
}

main "$@"
