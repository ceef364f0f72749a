# shellcheck shell=bash disable=SC2034,SC2154  # shares variables with scripts/vm-test.sh
# The root image of a guest that cannot run the host's programs (VM_ROOT=image in
# scripts/vm/arch.sh): a minimal Debian 12 of the guest's architecture with what ptk's tests run
# (a shell, coreutils, strace, ctest, python3...) and the runtime libraries ptk links, in an
# ext4 image that runs share read-only (scripts/vm/init overlays it with the scratch disk).
# Sourced by scripts/vm-test.sh after scripts/vm/qemu.sh.
#
# vm_rootfs_build DIR sets VM_ROOT_IMAGE to DIR/rootfs-KEY.img, KEY naming its inputs (the
# architecture, the suite, the package list, the second stage's script), so that a changed list
# makes a new image; older images are removed then. Making one takes ~10 minutes:
# `debootstrap --foreign` on the host fetches and unpacks the packages (~2 min), `mkfs.ext4 -d`
# copies that tree into the image (QEMU 7.2's 9p cannot share the device nodes a root needs),
# and the guest runs debootstrap's second stage in it (~8 min under TCG), which needs the
# guest's own CPU. The console of that boot is kept in DIR/build/console.log.

VM_ROOTFS_SUITE=bookworm
VM_ROOTFS_MIRROR=${PTK_VM_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Besides minbase: what ptk's tests and scripts/vm/guest-run.sh run (busybox: power-off, and
# `ip` without iproute2; binutils: the symbol tests' nm/objdump/addr2line; man-db: the man pages'
# options test; python3-pytest: the Python module's tests; libc6-dbg: the loader's and libc's
# symbols, as on a host with it), and the libraries ptk and its tests link.
VM_ROOTFS_PACKAGES=(
  bash coreutils findutils procps util-linux tar gzip busybox-static
  strace cmake python3 jq binutils man-db python3-pytest libc6-dbg
  libfmt9 libseccomp2 libcapstone4 libdw1 libelf1 libbpf1 libstdc++6 libgcc-s1
)
# The second stage's deadline: it took 476 s here.
VM_ROOTFS_TIMEOUT=${PTK_VM_ROOTFS_TIMEOUT:-2400}

vm_rootfs_build() {
  local dir=$1 key image lock
  key=$({
    echo "$VM_DEB_ARCH $VM_ROOTFS_SUITE minbase"
    printf '%s\n' "${VM_ROOTFS_PACKAGES[@]}" | LC_ALL=C sort
    sha256sum <"$VM_SCRIPTS_DIR/rootfs-stage2.sh"
  } | sha256sum | cut -c1-16)
  image=$dir/rootfs-$key.img
  mkdir -p "$dir"
  # Two runs at once must not build the same image.
  exec {lock}>"$dir/.lock"
  flock "$lock"
  if [[ ! -f $image ]]; then
    vm_rootfs_make "$dir" "$image" || {
      exec {lock}>&-
      return 1
    }
    find "$dir" -maxdepth 1 -name 'rootfs-*.img' ! -name "${image##*/}" -delete
  fi
  exec {lock}>&-
  VM_ROOT_IMAGE=$image
  VM_ROOT_IMAGE_RW=0
}

vm_rootfs_make() {
  local dir=$1 image=$2 tree=$1/build/tree t0=$SECONDS
  local log=$1/build/debootstrap.log include
  rm -rf "$dir/build"
  mkdir -p "$dir/build"
  include=$(IFS=, && echo "${VM_ROOTFS_PACKAGES[*]}")
  echo "vm-test.sh: making the $VM_DEB_ARCH root image (once for this package list: ~10 min)"
  if ! debootstrap --arch="$VM_DEB_ARCH" --variant=minbase --foreign --include="$include" \
    "$VM_ROOTFS_SUITE" "$tree" "$VM_ROOTFS_MIRROR" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "vm-test.sh: debootstrap's first stage failed (log: $log)" >&2
    return 1
  fi
  cp "$VM_SCRIPTS_DIR/rootfs-stage2.sh" "$tree/ptk-stage2.sh"
  echo "vm-test.sh: debootstrap's first stage took $((SECONDS - t0))s"

  # Sparse: the installed system takes well under half of it. Discarded blocks (fstrim in the
  # second stage) become holes again.
  local tmp=$image.tmp
  rm -f "$tmp"
  truncate -s 4G "$tmp"
  mkfs.ext4 -q -F -L ptk-rootfs -d "$tree" "$tmp" || {
    echo "vm-test.sh: mkfs.ext4 -d could not copy $tree into $tmp" >&2
    return 1
  }
  rm -rf "$tree"

  t0=$SECONDS
  vm_rootfs_stage2 "$dir/build" "$tmp" || return 1
  echo "vm-test.sh: the second stage took $((SECONDS - t0))s in the guest"
  mv "$tmp" "$image"
}

# Boots the guest on the new image, writable, to run its second stage (scripts/vm/init's root
# stage2).
vm_rootfs_stage2() {
  local run=$1 tmp=$2
  mkdir -p "$run/job"
  echo stage2 >"$run/job/root"
  VM_ROOT_IMAGE=$tmp
  VM_ROOT_IMAGE_RW=1
  vm_run_qemu "$run" "$VM_ROOTFS_TIMEOUT"
  VM_ROOT_IMAGE_RW=0
  if ((vm_timed_out)); then
    echo "vm-test.sh: the second stage passed its deadline of ${VM_ROOTFS_TIMEOUT}s (PTK_VM_ROOTFS_TIMEOUT; console log: $run/console.log)" >&2
    return 1
  fi
  if [[ ! -f $run/job/status || $(<"$run/job/status") != 0 ]]; then
    ((quiet)) && tail -n 30 "$run/console.log" >&2
    echo "vm-test.sh: debootstrap's second stage failed in the guest (console log: $run/console.log)" >&2
    return 1
  fi
}
