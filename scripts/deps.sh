#!/usr/bin/env bash
# Installs the Debian 12 packages ptk needs to build, test and run -- only those missing.
#
# Idempotent, and silent when nothing is missing. Otherwise it prints one line naming what
# it installs, runs `apt-get update` once and installs without recommends; apt's output goes
# to a log file that is shown only if something fails. Needs root only when something is
# missing. Run it (`scripts/deps.sh`) or source it and call `ptk_deps`.
# docs/development.md ("Dependencies") says why each package is needed.
#
# The VM test lane (scripts/vm-test.sh) needs more, installed only when that lane runs: it
# calls `ptk_vm_deps QEMU_PACKAGE` (the qemu package of the guest's architecture).

PTK_DEB_PACKAGES=(
  build-essential cmake ninja-build pkg-config python3 git dpkg-dev
  libfmt-dev libcli11-dev libseccomp-dev libcapstone-dev libelf-dev libdw-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  gcc-multilib g++-multilib clang clang-format libclang-rt-14-dev
  strace gdb ltrace jq procps util-linux bsdutils file binutils
  libbpf-dev bpftool
  scdoc man-db zsh fish
  pybind11-dev python3-dev python3-pytest python3-ptrace
)

# The VM lane's packages besides qemu: busybox-static is the initramfs's userland (and its cpio,
# depmod, insmod), e2fsprogs makes the scratch disk's filesystem.
PTK_VM_DEB_PACKAGES=(busybox-static e2fsprogs)

ptk_deps() {
  ptk_install_missing "${PTK_DEB_PACKAGES[@]}"
}

ptk_vm_deps() {
  ptk_install_missing "${PTK_VM_DEB_PACKAGES[@]}" "$@"
}

# Installs those of the given packages that are not installed.
ptk_install_missing() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "deps.sh: dpkg-query/apt-get not found; ptk's setup supports Debian 12 only" >&2
    return 1
  fi

  local pkg status
  local -a missing=()
  for pkg in "$@"; do
    status=$(dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null || true)
    [[ $status == *"ok installed"* ]] || missing+=("$pkg")
  done
  ((${#missing[@]} == 0)) && return 0

  if ((EUID != 0)); then
    echo "deps.sh: missing Debian packages (${missing[*]}); run this as root to install them" >&2
    return 1
  fi

  echo "deps.sh: installing ${#missing[@]} missing Debian package(s): ${missing[*]}"
  local log
  log=$(mktemp "${TMPDIR:-/tmp}/ptk-deps.XXXXXX.log")
  if ! { apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "deps.sh: installing packages failed (apt log above, kept in $log)" >&2
    return 1
  fi
  rm -f "$log"
}

# Executed (not sourced): do it.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  ptk_deps "$@"
fi
