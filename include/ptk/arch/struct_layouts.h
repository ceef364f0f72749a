// Kernel structs whose layout differs between ABIs of one word size, as data per ABI: the
// decoders pick a layout by these facts, never by an ABI's name.
#pragma once

#include <cstdint>

#include "ptk/arch/arch.h"

namespace ptk {

// The kernel's struct stat as stat, fstat, lstat and newfstatat fill it.
enum class StatLayout : std::uint8_t {
  X86_64,     // arch/x86/include/uapi/asm/stat.h, 144 bytes: 64-bit nlink before a 32-bit mode
  I386,       // the compat struct stat, 64 bytes of mostly 16- and 32-bit fields
  Generic64,  // include/uapi/asm-generic/stat.h (aarch64), 128 bytes: 32-bit mode and nlink,
              // a padded 32-bit blksize
};

struct StructLayouts {
  StatLayout stat;
  // sizeof(struct epoll_event): x86 packs it (EPOLL_PACKED in include/uapi/linux/eventpoll.h)
  // to 12 bytes on both ABIs; elsewhere its 64-bit data field is aligned: 16 bytes.
  std::uint8_t epoll_event_size;
  // Where rt_sigreturn finds the saved signal mask (uc.uc_sigmask), from sp at its entry. x86:
  // the handler's return popped the frame's return address, so the rt_sigframe starts one word
  // below sp; the mask is 8 + 296 into the x86_64 frame (pretcode, then ucontext: flags, link,
  // stack_t, 256-byte sigcontext), 16 + 128 + 108 into the i386 one (pretcode, sig, pinfo, puc,
  // siginfo, then the 32-bit ucontext). aarch64: sp is the frame itself (the kernel's
  // rt_sigreturn reads it there, arch/arm64/kernel/signal.c), a 128-byte siginfo then the
  // ucontext, whose mask follows flags, link and a 24-byte stack_t.
  std::uint16_t sigreturn_mask_offset;
};

constexpr StructLayouts struct_layouts(Arch arch) {
  switch (arch) {
    case Arch::X86_64:
      return {StatLayout::X86_64, 12, 8 + 296 - 8};
    case Arch::I386:
      return {StatLayout::I386, 12, 16 + 128 + 108 - 4};
    case Arch::Aarch64:
      return {StatLayout::Generic64, 16, 128 + 8 + 8 + 24};
  }
  return {StatLayout::X86_64, 12, 8 + 296 - 8};
}

}  // namespace ptk
