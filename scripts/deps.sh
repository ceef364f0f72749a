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
# calls `ptk_vm_deps PACKAGE...` with its guest architecture's own (scripts/vm/arch.sh: the qemu,
# and for aarch64 debootstrap and PTK_AARCH64_DEB_PACKAGES). `scripts/deps.sh aarch64` installs
# only the cross build's packages (the `aarch64` CMake preset). A package named NAME:ARCH turns
# on Debian's multiarch for ARCH first (dpkg --add-architecture).

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

# The aarch64 cross build (cmake/toolchains/aarch64-linux-gnu.cmake): clang (above) with the
# aarch64 linker and arm64 C/C++ runtimes, and the arm64 builds of the libraries ptk links, which
# install beside the amd64 ones (multiarch). Not g++-aarch64-linux-gnu: it conflicts with
# gcc-multilib.
PTK_AARCH64_DEB_PACKAGES=(
  binutils-aarch64-linux-gnu libc6-dev:arm64 libstdc++-12-dev:arm64
  libfmt-dev:arm64 libseccomp-dev:arm64 libcapstone-dev:arm64 libelf-dev:arm64 libdw-dev:arm64
  libgtest-dev:arm64 libgmock-dev:arm64 libpython3.11-dev:arm64 libbpf-dev:arm64
)

ptk_deps() {
  ptk_install_missing "${PTK_DEB_PACKAGES[@]}"
}

ptk_vm_deps() {
  ptk_install_missing "${PTK_VM_DEB_PACKAGES[@]}" "$@"
}

ptk_aarch64_deps() {
  ptk_install_missing "${PTK_AARCH64_DEB_PACKAGES[@]}"
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
  ptk_add_architectures "${missing[@]}" || return 1

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

# Turns on multiarch for the ARCH of each NAME:ARCH package (apt-get update, which follows,
# then fetches that architecture's lists).
ptk_add_architectures() {
  local pkg arch
  for pkg in "$@"; do
    [[ $pkg == *:* ]] || continue
    arch=${pkg##*:}
    [[ $arch == "$(dpkg --print-architecture)" ]] && continue
    dpkg --print-foreign-architectures | grep -qxF "$arch" && continue
    echo "deps.sh: dpkg --add-architecture $arch"
    dpkg --add-architecture "$arch" || return 1
  done
}

# Executed (not sourced): do it.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  case ${1-} in
    "") ptk_deps ;;
    aarch64) ptk_aarch64_deps ;;
    *)
      echo "deps.sh: unknown argument '$1' (none, or aarch64 for the cross build's packages)" >&2
      exit 2
      ;;
  esac
fi
