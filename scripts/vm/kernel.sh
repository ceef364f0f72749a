# shellcheck shell=bash disable=SC2034  # sets variables for the scripts that source it
# Fetches a Debian kernel package with apt-get download and unpacks it into the lane's cache.
# Sourced by scripts/vm-test.sh after scripts/vm/arch.sh (VM_DEB_ARCH, VM_KERNEL_META,
# VM_KERNEL_IMAGE).
#
# Flavours:
#   stock      Debian 12's own kernel, through the host's apt configuration
#   backports  bookworm-backports' kernel, through a private sources list and private lists
#              under the cache: /etc/apt and the host's package lists are never touched
#
# vm_kernel_fetch CACHE FLAVOUR sets VM_KERNEL_FILE (the kernel image), VM_KERNEL_MODDIR
# (lib/modules/RELEASE of the package) and VM_KERNEL_PACKAGE ("name version").
# vm_busybox_fetch (at the end) fetches the initramfs's busybox the same way.

VM_BACKPORTS_SOURCE=${PTK_VM_BACKPORTS_SOURCE:-"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main"}

vm_kernel_fetch() {
  local cache=$1 flavour=$2 pkg
  local -a apt_opts=()
  vm_apt_options "$cache" "$flavour"

  if ! pkg=$(vm_kernel_resolve); then
    if [[ -f $cache/kernel/.package ]]; then
      # Offline with a cached kernel: better that kernel than no run.
      pkg=$(<"$cache/kernel/.package")
      echo "vm-test.sh: cannot ask apt for the current $flavour kernel; using the cached $pkg" >&2
    else
      echo "vm-test.sh: apt knows no $VM_KERNEL_META for the $flavour kernel" >&2
      return 1
    fi
  fi
  if [[ ! -f $cache/kernel/.package || $(<"$cache/kernel/.package") != "$pkg" ]]; then
    vm_kernel_unpack "$cache" "$pkg" || return 1
  fi

  local -a images
  mapfile -t images < <(compgen -G "$cache/kernel/$VM_KERNEL_IMAGE")
  local -a moddirs
  mapfile -t moddirs < <(compgen -G "$cache/kernel/lib/modules/*")
  if ((${#images[@]} != 1 || ${#moddirs[@]} != 1)); then
    echo "vm-test.sh: $cache/kernel has no single $VM_KERNEL_IMAGE and lib/modules/*" >&2
    return 1
  fi
  VM_KERNEL_FILE=${images[0]}
  VM_KERNEL_MODDIR=${moddirs[0]}
  VM_KERNEL_PACKAGE=$pkg
}

# apt's options for a flavour, in the caller's apt_opts array.
vm_apt_options() {
  local cache=$1 flavour=$2 apt=$1/apt
  apt_opts=(-o "APT::Architecture=$VM_DEB_ARCH")
  [[ $flavour == backports ]] || return 0
  mkdir -p "$apt/sources.list.d" "$apt/lists/partial" "$apt/cache/archives/partial"
  echo "$VM_BACKPORTS_SOURCE" >"$apt/sources.list"
  # The whole private state: no apt run here reads /etc/apt's sources or writes the host's
  # lists and package cache. root as sandbox user: these directories are root's own.
  apt_opts+=(
    -o "Dir::Etc::SourceList=$apt/sources.list"
    -o "Dir::Etc::SourceParts=$apt/sources.list.d"
    -o "Dir::State::Lists=$apt/lists"
    -o "Dir::Cache=$apt/cache"
    -o "APT::Sandbox::User=root"
  )
}

# Prints "package version" of the kernel image the meta package depends on. When apt does not
# know the meta package yet (no lists, or never updated), updates the lists once and asks again.
vm_kernel_resolve() {
  local dep
  dep=$(vm_kernel_dependency) || {
    vm_apt_log "updating apt's package lists" apt-get "${apt_opts[@]}" update || return 1
    dep=$(vm_kernel_dependency) || return 1
  }
  echo "$dep"
}

vm_kernel_dependency() {
  local line
  line=$(apt-cache "${apt_opts[@]}" show --no-all-versions "$VM_KERNEL_META" 2>/dev/null |
    sed -n 's/^Depends: //p' | head -n 1)
  # "linux-image-6.1.0-57-amd64 (= 6.1.192-3)" -> "linux-image-6.1.0-57-amd64 6.1.192-3"
  [[ $line =~ ^([^ ,]+)\ \(=\ ([^\)]+)\) ]] || return 1
  echo "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}"
}

# Downloads "name version" into CACHE/debs (kept until another version replaces it) and unpacks
# it into CACHE/kernel.
vm_kernel_unpack() {
  local cache=$1 name=${2% *} version=${2#* } deb
  mkdir -p "$cache/debs"
  deb=$(vm_find_deb "$cache/debs" "$name" "$version")
  if [[ -z $deb ]]; then
    echo "vm-test.sh: downloading $name $version"
    # A stale list may name a version the mirror has dropped: update once and retry.
    if ! vm_apt_download "$cache/debs" "$name=$version"; then
      vm_apt_log "updating apt's package lists" apt-get "${apt_opts[@]}" update || return 1
      vm_apt_download "$cache/debs" "$name=$version" || return 1
    fi
    deb=$(vm_find_deb "$cache/debs" "$name" "$version")
    [[ -n $deb ]] || {
      echo "vm-test.sh: apt-get download left no $name .deb in $cache/debs" >&2
      return 1
    }
  fi
  echo "vm-test.sh: unpacking $(basename "$deb")"
  rm -rf "$cache/kernel" "$cache/kernel.tmp"
  dpkg-deb -x "$deb" "$cache/kernel.tmp" || return 1
  echo "$name $version" >"$cache/kernel.tmp/.package"
  mv "$cache/kernel.tmp" "$cache/kernel"
  # Older kernels' packages are of no more use.
  find "$cache/debs" -maxdepth 1 -name '*.deb' ! -name "$(basename "$deb")" -delete
}

vm_apt_download() {
  local dir=$1 what=$2
  (cd "$dir" && vm_apt_log "downloading $what" apt-get "${apt_opts[@]}" download "$what")
}

# The .deb of name/version in DIR, if there is one (apt writes an epoch's colon as %3a).
vm_find_deb() {
  local dir=$1 name=$2 version=${3//:/%3a}
  compgen -G "$dir/${name}_${version}_*.deb" | head -n 1 || true
}

# Runs an apt command with its output in a log file that is shown only when it fails.
vm_apt_log() {
  local what=$1 log
  shift
  log=$(mktemp "${TMPDIR:-/tmp}/ptk-vm-apt.XXXXXX.log")
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    echo "vm-test.sh: $what failed (apt log above, kept in $log)" >&2
    return 1
  fi
  rm -f "$log"
}

# vm_busybox_fetch CACHE: for a guest whose busybox is not the host's (VM_BUSYBOX empty), sets
# VM_BUSYBOX to the static busybox of VM_BUSYBOX_PACKAGE for the guest's architecture, fetched
# through the host's apt lists and unpacked under CACHE/busybox (again only for a new version).
vm_busybox_fetch() {
  local dir=$1/busybox version deb
  [[ -z $VM_BUSYBOX ]] || return 0
  local -a apt_opts=()
  vm_apt_options "$1" stock
  version=$(apt-cache "${apt_opts[@]}" show --no-all-versions "$VM_BUSYBOX_PACKAGE" 2>/dev/null |
    sed -n 's/^Version: //p' | head -n 1)
  VM_BUSYBOX=$dir/bin/busybox
  if [[ -f $VM_BUSYBOX && -f $dir/.package ]]; then
    [[ -z $version || $(<"$dir/.package") == "$version" ]] && return 0
  fi
  [[ -n $version ]] || {
    echo "vm-test.sh: apt knows no $VM_BUSYBOX_PACKAGE for $VM_DEB_ARCH" >&2
    return 1
  }
  rm -rf "$dir"
  mkdir -p "$dir/debs"
  vm_apt_download "$dir/debs" "$VM_BUSYBOX_PACKAGE=$version" || return 1
  deb=$(vm_find_deb "$dir/debs" "$VM_BUSYBOX_PACKAGE" "$version")
  if [[ -z $deb ]] || ! dpkg-deb -x "$deb" "$dir"; then
    echo "vm-test.sh: cannot unpack $VM_BUSYBOX_PACKAGE $version into $dir" >&2
    return 1
  fi
  echo "$version" >"$dir/.package"
}
