# shellcheck shell=bash disable=SC2034  # sets variables for the scripts that source it
# Builds the VM lane's initramfs: busybox (static), scripts/vm/init, and the kernel modules the
# init needs before the host's root is reachable. Sourced by scripts/vm-test.sh after
# scripts/vm/arch.sh (VM_MODULES, VM_BUSYBOX). The host's own busybox (busybox-static) packs
# the archive, makes modules.dep and unpacks compressed modules.
#
# vm_initramfs_build CACHE MODDIR sets VM_INITRAMFS to CACHE/initramfs.cpio, rebuilt only when
# one of its inputs changed: the init, this file, busybox, the kernel package (VM_KERNEL_PACKAGE,
# from scripts/vm/kernel.sh), the module list.

VM_SCRIPTS_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")

vm_initramfs_build() {
  local cache=$1 moddir=$2 out=$1/initramfs.cpio stamp
  [[ -f $moddir/modules.dep ]] || vm_depmod "$moddir" || return 1

  local -a order=()
  local -A seen=()
  local m
  for m in "${VM_MODULES[@]}"; do
    vm_module_order "$moddir" "$m" || return 1
  done

  stamp=$({
    sha256sum "$VM_SCRIPTS_DIR/init" "${BASH_SOURCE[0]}" "$VM_BUSYBOX" | cut -d' ' -f1
    echo "$VM_KERNEL_PACKAGE"
    printf '%s\n' "${order[@]}"
  } | sha256sum | cut -d' ' -f1)
  VM_INITRAMFS=$out
  if [[ -f $out && -f $out.inputs && $(<"$out.inputs") == "$stamp" ]]; then
    return 0
  fi

  echo "vm-test.sh: building the initramfs (${#order[@]} modules)"
  local stage=$cache/initramfs.d
  rm -rf "$stage"
  mkdir -p "$stage"/{bin,dev,proc,sys,etc,lib/modules,scratch,lower,newroot}
  cp "$VM_BUSYBOX" "$stage/bin/busybox"
  cp "$VM_SCRIPTS_DIR/init" "$stage/init"
  chmod 755 "$stage/init" "$stage/bin/busybox"
  local file name
  for file in "${order[@]}"; do
    name=$(vm_module_name "$file")
    vm_module_copy "$moddir/$file" "$stage/lib/modules/$name.ko" || return 1
    echo "$name" >>"$stage/etc/modules"
  done
  (cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | busybox cpio -o -H newc) \
    >"$out.tmp" 2>/dev/null || {
    echo "vm-test.sh: cpio failed to pack $stage" >&2
    return 1
  }
  mv "$out.tmp" "$out"
  echo "$stamp" >"$out.inputs"
  rm -rf "$stage"
}

# The .deb ships no modules.dep: make one in place (busybox's depmod reads the modules' own
# dependency lists).
vm_depmod() {
  local moddir=$1 base release
  release=$(basename "$moddir")
  base=$(readlink -f "$moddir/../../..")
  busybox depmod -b "$base" "$release" || {
    echo "vm-test.sh: depmod failed in $moddir" >&2
    return 1
  }
}

# Appends MODULE's dependencies, then MODULE, to the caller's order array (paths relative to
# MODDIR), each once. A module built into the kernel adds nothing.
vm_module_order() {
  local moddir=$1 want=$2 line file dep
  line=$(vm_module_line "$moddir" "$want")
  if [[ -z $line ]]; then
    if grep -qE "/${want//_/[-_]}\.ko$" "$moddir/modules.builtin"; then
      return 0
    fi
    echo "vm-test.sh: kernel module $want is neither in $moddir nor built in" >&2
    return 1
  fi
  file=${line%%:*}
  [[ -z ${seen[$file]-} ]] || return 0
  seen[$file]=1
  for dep in ${line#*:}; do
    vm_module_order "$moddir" "$(vm_module_name "$dep")" || return 1
  done
  order+=("$file")
}

# MODULE's line of modules.dep ("path: dep-path..."); module names treat - and _ alike.
vm_module_line() {
  local moddir=$1 want=$2
  grep -E "(^|/)${want//_/[-_]}\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | head -n 1
}

# kernel/fs/9p/9p.ko.xz -> 9p
vm_module_name() {
  local base=${1##*/}
  base=${base%%.ko*}
  echo "${base//-/_}"
}

# Copies a module uncompressed: busybox's insmod loads plain .ko files only.
vm_module_copy() {
  local from=$1 to=$2
  case $from in
    *.ko) cp "$from" "$to" ;;
    *.ko.xz) busybox xzcat "$from" >"$to" ;;
    *.ko.gz) busybox zcat "$from" >"$to" ;;
    *.ko.zst) zstd -q -d -c "$from" >"$to" ;;
    *)
      echo "vm-test.sh: unknown kernel module format: $from" >&2
      return 1
      ;;
  esac
}
