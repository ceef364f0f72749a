# shellcheck shell=bash disable=SC2034  # sets variables for the scripts that source it
# Everything about the VM lane that depends on the guest's architecture, in one place, so that
# another architecture is one more case here. Sourced by scripts/vm-test.sh.
#
# vm_arch_select ARCH sets:
#   VM_QEMU          the qemu binary
#   VM_QEMU_PACKAGE  the Debian package that has it
#   VM_MACHINE       machine and firmware options for qemu
#   VM_CPU_TCG/KVM   the -cpu model under each accelerator
#   VM_VIRTIO_BUS    the suffix of virtio device names (virtio-blk-pci, virtio-9p-pci)
#   VM_CONSOLE       the kernel's name for the serial console qemu's -serial connects
#   VM_DEB_ARCH      Debian's name for the architecture (apt-get download)
#   VM_KERNEL_META   the package whose dependency is the current kernel image package
#   VM_KERNEL_IMAGE  the kernel image's path inside that package, a glob
#   VM_MODULES       the kernel modules the initramfs loads (dependencies are added)
#   VM_BUSYBOX       the static busybox of the initramfs, which runs before the host's root is
#                    mounted
# Returns 1 for an architecture the lane does not support yet.

vm_arch_select() {
  case $1 in
    x86_64)
      VM_QEMU=qemu-system-x86_64
      VM_QEMU_PACKAGE=qemu-system-x86
      VM_MACHINE=(-machine pc)
      # TCG's "max" model has every feature qemu emulates, debug registers included; under KVM
      # the guest should see the host's own CPU.
      VM_CPU_TCG=max
      VM_CPU_KVM=host
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
      ;;
    *)
      return 1
      ;;
  esac
}
