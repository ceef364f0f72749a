#!/usr/bin/env python3
"""Extracts the kernel's BTF (its .BTF section) from a Debian kernel image, for a cross build's
eBPF program: `cmake --preset aarch64 -DPTK_BPF_VMLINUX_BTF=OUT` (src/bpf/CMakeLists.txt), since
the build machine's /sys/kernel/btf/vmlinux describes the build machine's kernel, not the
target's.

usage: scripts/vm/kernel_btf.py IMAGE OUT   (scripts/vm-test.sh --kernel-btf OUT runs it)
  IMAGE  a kernel image as the VM lane caches it (build/vm/ARCH/stock/kernel/boot/vmlinuz-*):
         arm64's Image (plain, or gzip-compressed)
  OUT    where to write the raw BTF (what bpftool reads with `btf dump file OUT`); not
         rewritten when it already holds the same bytes

The image carries no ELF section table, so the blob is found by its header (struct btf_header,
include/uapi/linux/btf.h): magic 0xeb9f, version 1, a 24-byte header, the type section at
offset 0 and the string section right after it. The largest such blob is the kernel's.
Exit 1 with one line when there is none.
"""
import gzip
import struct
import sys

MAGIC = b"\x9f\xeb\x01"  # 0xeb9f little-endian, then version 1
HEADER = struct.Struct("<HBBIIIII")  # magic, version, flags, hdr_len, type/str offsets, lengths


def find_btf(image):
    best = None
    at = image.find(MAGIC)
    while at >= 0:
        if at + HEADER.size <= len(image):
            _, _, flags, hdr_len, type_off, type_len, str_off, str_len = HEADER.unpack_from(image, at)
            end = at + hdr_len + str_off + str_len
            if (flags == 0 and hdr_len == HEADER.size and type_off == 0 and str_off == type_len
                    and type_len > 0 and end <= len(image)
                    and (best is None or end - at > len(best))):
                best = image[at:end]
        at = image.find(MAGIC, at + 1)
    return best


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: scripts/vm/kernel_btf.py IMAGE OUT   (scripts/vm-test.sh --kernel-btf OUT runs it)")
    path, out = sys.argv[1], sys.argv[2]
    try:
        with open(path, "rb") as f:
            image = f.read()
        if image[:2] == b"\x1f\x8b":
            image = gzip.decompress(image)
    except (OSError, EOFError, gzip.BadGzipFile) as e:
        sys.exit(f"kernel_btf.py: cannot read {path}: {e}")
    btf = find_btf(image)
    if btf is None:
        sys.exit(f"kernel_btf.py: {path} holds no BTF (a kernel built without CONFIG_DEBUG_INFO_BTF?)")
    try:
        with open(out, "rb") as f:
            if f.read() == btf:
                return  # unchanged: the build that depends on it has nothing to redo
    except OSError:
        pass
    with open(out, "wb") as f:
        f.write(btf)
    print(f"kernel_btf.py: {len(btf)} bytes of BTF from {path} into {out}")


if __name__ == "__main__":
    main()
