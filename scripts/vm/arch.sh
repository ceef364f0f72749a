# shellcheck shell=bash disable=SC2034  # sets variables for the scripts that source it
# Everything about the VM lane that depends on the guest's architecture, in one place, so that
# another architecture is one more case here. Sourced by scripts/vm-test.sh.
#
# vm_arch_select ARCH sets:
#   VM_QEMU          the qemu binary
#   VM_MACHINE       machine and firmware options for qemu
#   VM_CPU_TCG/KVM   the -cpu model under each accelerator
#   VM_TCG_OPTS      more options of qemu's tcg accelerator (",thread=single")
#   VM_VIRTIO_BUS    the suffix of virtio device names (virtio-blk-pci, virtio-9p-pci)
#   VM_CONSOLE       the kernel's name for the serial console qemu's -serial connects
#   VM_DEB_ARCH      Debian's name for the architecture (apt-get download)
#   VM_KERNEL_META   the package whose dependency is the current kernel image package
#   VM_KERNEL_IMAGE  the kernel image's path inside that package, a glob
#   VM_MODULES       the kernel modules the initramfs loads (dependencies are added)
#   VM_BUSYBOX       the static busybox of the initramfs, which runs before the root is mounted:
#                    a path, or empty when it is VM_BUSYBOX_PACKAGE's (see scripts/vm/initramfs.sh)
#   VM_BUSYBOX_PACKAGE  the busybox-static package of the guest's architecture (apt-get download)
#   VM_ROOT          the guest's root: host (the host's own root over virtio-9p, for a guest that
#                    runs the host's programs) or image (a Debian root filesystem of the guest's
#                    architecture in an ext4 image, scripts/vm/rootfs.sh, with the host's
#                    directories the job needs shown at their paths)
#   VM_PACKAGES      the Debian packages the lane needs on the host besides scripts/deps.sh's VM
#                    list: the qemu that runs the guest, and whatever builds its root
# Returns 1 for an architecture the lane does not support yet.

vm_arch_select() {
  case $1 in
    x86_64)
      VM_QEMU=qemu-system-x86_64
      VM_MACHINE=(-machine pc)
      # TCG's "max" model has every feature qemu emulates, debug registers included; under KVM
      # the guest should see the host's own CPU.
      VM_CPU_TCG=max
      VM_CPU_KVM=host
      # One host thread runs both vCPUs in turn. With a thread per vCPU (MTTCG), QEMU 7.2
      # sometimes goes on running a vCPU's stale translation of code the other vCPU has just
      # rewritten: the kernel's int3 over a static branch it is switching (text_poke_bp, as
      # eBPF programs attach to or detach from a tracepoint, or kprobes come and go). The int3
      # handler finds the byte changed back and restarts the instruction, and the vCPU spins
      # there for ever (seen at syscall_trace_enter's sys_enter branch: once in CI, in 3 of 3
      # focused stress runs here; 0 of 3 single-threaded). The lane is ~1.6x slower for it.
      VM_TCG_OPTS=,thread=single
      VM_VIRTIO_BUS=pci
      VM_CONSOLE=ttyS0
      VM_DEB_ARCH=amd64
      VM_KERNEL_META=linux-image-amd64
      VM_KERNEL_IMAGE='boot/vmlinuz-*'
      # Debian builds these as modules: the PCI transport, the scratch disk (virtio-blk + ext4),
      # the host's root over virtio-9p, and overlayfs for a writable root on top of it. ext4
      # finds crc32c through the crypto API, not as a symbol, so no dependency names it.
      VM_MODULES=(virtio_pci virtio_blk 9pnet_virtio 9p overlay ext4 crc32c_generic)
      VM_BUSYBOX=/bin/busybox
      VM_BUSYBOX_PACKAGE=
      VM_ROOT=host
      VM_PACKAGES=(qemu-system-x86)
      ;;
    aarch64)
      VM_QEMU=qemu-system-aarch64
      VM_MACHINE=(-machine virt)
      # The "max" model's pointer authentication with QEMU's own cheap algorithm: the
      # architected one (plain "max") makes the guest several times slower under TCG.
      VM_CPU_TCG=max,pauth-impdef=on
      VM_CPU_KVM=host
      # Multi-threaded: its lane runs no eBPF test, and is long enough already.
      VM_TCG_OPTS=
      VM_VIRTIO_BUS=pci
      VM_CONSOLE=ttyAMA0
      VM_DEB_ARCH=arm64
      VM_KERNEL_META=linux-image-arm64
      VM_KERNEL_IMAGE='boot/vmlinuz-*'
      # Debian's arm64 kernel builds the same drivers as modules (the PCI host bridge is built in).
      # The sock_diag modules too: the guest's image root has no /lib/modules to load them from
      # on demand, and ptk's socket details (-yy, netlink decoding) ask them.
      VM_MODULES=(virtio_pci virtio_blk 9pnet_virtio 9p overlay ext4 crc32c_generic
        unix_diag netlink_diag inet_diag tcp_diag udp_diag)
      VM_BUSYBOX=
      VM_BUSYBOX_PACKAGE=busybox-static
      VM_ROOT=image
      # debootstrap makes the guest's root; the cross compilers and arm64 libraries build what
      # runs in it (scripts/deps.sh).
      VM_PACKAGES=(qemu-system-arm debootstrap "${PTK_AARCH64_DEB_PACKAGES[@]}")
      ;;
    *)
      return 1
      ;;
  esac
}
