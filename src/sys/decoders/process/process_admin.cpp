// System administration calls whose arguments need a check: reboot (arg is read only by
// LINUX_REBOOT_CMD_RESTART2), sethostname (a name longer than the kernel takes is not read)
// and _sysctl's argument block.
#include <array>
#include <cstring>

#include "process_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

constexpr std::uint32_t kCmdRestart2 = 0xa1b2c3d4;
// The kernel copies at most this many bytes of RESTART2's command (its buffer is 256 with a
// NUL always last).
constexpr std::size_t kRestartArgMax = 255;

// The command string, read no further than the kernel does: cut at -s or at 255 bytes with
// "..." when no NUL came first; the address when it is unreadable before its end.
void restart_arg(DecodeCtx& ctx, std::uint64_t addr) {
  if (addr == 0) {
    ctx.out().ptr(0);
    return;
  }
  std::size_t size = std::min(kRestartArgMax, ctx.options().string_limit);
  auto s = ctx.memory().read_string(RemoteAddr(addr), size);
  if (!s.ok() || (!s->terminated && s->bytes.size() < size)) {
    ctx.out().ptr(addr);
    return;
  }
  ctx.out().str(s->bytes, s->terminated ? 0 : kTruncated);
}

}  // namespace

void decode_reboot(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  TokenList& o = ctx.out();
  ctx.arg(0);
  pfam::xval(o, "reboot_magic1", static_cast<std::uint32_t>(ctx.u(0)), "LINUX_REBOOT_MAGIC_???");
  ctx.arg(1);
  pfam::xval(o, "reboot_magic2", static_cast<std::uint32_t>(ctx.u(1)), "LINUX_REBOOT_MAGIC_???");
  ctx.arg(2);
  auto cmd = static_cast<std::uint32_t>(ctx.u(2));
  pfam::xval(o, "reboot_cmd", cmd, "LINUX_REBOOT_CMD_???");
  if (cmd != kCmdRestart2) return;
  ctx.arg(3);
  restart_arg(ctx, ctx.u(3));
}

void decode_sethostname(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  constexpr std::uint32_t kNewUtsLen = 64;  // the kernel refuses longer names unread
  auto len = static_cast<std::uint32_t>(ctx.u(1));
  ctx.arg(0);
  if (len > kNewUtsLen) {
    ctx.out().ptr(ctx.u(0));
  } else {
    ctx.buffer(ctx.u(0), len);
  }
  ctx.arg(1);
  ctx.out().uint_(len);
}

// struct __sysctl_args: the pointers and lengths only, in the ABI's word size.
void print_sysctl_args(DecodeCtx& ctx, std::uint64_t addr) {
  const std::size_t w = static_cast<std::size_t>(ctx.word_size());
  // name, nlen (an int, padded to a word), oldval, oldlenp, newval, newlen.
  std::array<std::uint64_t, 6> f{};
  std::array<unsigned char, 48> raw{};
  if (!ctx.read(addr, raw.data(), 6 * w)) {
    ctx.out().ptr(addr);
    return;
  }
  for (std::size_t i = 0; i < f.size(); ++i) {
    std::uint64_t v = 0;
    std::memcpy(&v, raw.data() + i * w, w);
    f[i] = v;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("name");
  o.ptr(f[0]);
  o.field("nlen");
  o.int_(static_cast<std::int32_t>(static_cast<std::uint32_t>(f[1])));
  o.field("oldval");
  o.ptr(f[2]);
  o.field("oldlenp");
  o.ptr(f[3]);
  o.field("newval");
  o.ptr(f[4]);
  o.field("newlen");
  o.uint_(f[5]);
  o.end_struct();
}

}  // namespace ptk::sys
