#!/bin/sh
# debootstrap's second stage, run by scripts/vm/init (root stage2) with chroot in the root image
# that scripts/vm/rootfs.sh made: the guest's own /bin/sh, since the host cannot run its
# programs. Then what the image need not keep goes: the downloaded packages, and their blocks
# (fstrim, so that the host's sparse image file shrinks).
set -eu
# The initramfs's PATH is busybox's /bin only.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
/debootstrap/debootstrap --second-stage
echo ptk-vm >/etc/hostname
apt-get clean
rm -f /ptk-stage2.sh
fstrim -v / || echo "ptk-stage2: fstrim failed; the image keeps the freed blocks"
