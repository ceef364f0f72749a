// POSIX message queues: mq_open's optional arguments and struct mq_attr.
#include <array>

#include "file_internal.h"
#include "file_util.h"

namespace ptk::sys::ffam {
namespace {

constexpr std::uint32_t kOCreat = 0100;  // O_CREAT of x86's fcntl.h, both ABIs

}  // namespace

void decode_mq_open(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  // The name is read as a path (strace's printpath): one without a NUL before unreadable memory
  // shows as its address, as the kernel would fail with EFAULT.
  ctx.arg(0);
  ctx.path(ctx.u(0));
  auto flags = static_cast<std::uint32_t>(ctx.u(1));  // an int
  ctx.arg(1);
  open_flags(ctx, flags);
  // mode and attr are read by the kernel only with O_CREAT, and only then shown.
  if ((flags & kOCreat) == 0) return;
  ctx.arg(2);
  umode(ctx, ctx.u(2));
  ctx.arg(3);
  ctx.structure("mq_attr_open", ctx.u(3), false);
}

namespace {

void mq_attr(DecodeCtx& ctx, std::uint64_t addr, bool decode_flags) {
  // struct mq_attr: mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs, then four reserved longs. The
  // kernel copies all eight: a struct whose reserved words are unreadable is a bad address.
  std::array<std::int64_t, 8> v{};
  if (ctx.word_size() == 4) {
    std::array<std::int32_t, 8> w{};
    if (!ctx.read(addr, w)) {
      ctx.pointer(addr);
      return;
    }
    for (std::size_t i = 0; i < 8; ++i) v[i] = w[i];
  } else if (!ctx.read(addr, v)) {
    ctx.pointer(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("mq_flags");
  // Only O_NONBLOCK means anything here; a long on x86_64, so all of it is shown. mq_open
  // ignores mq_flags (mq_open(3)), and strace prints them there in hex.
  auto mq_flags =
      ctx.word_size() == 4 ? static_cast<std::uint32_t>(v[0]) : static_cast<std::uint64_t>(v[0]);
  if (decode_flags) {
    flags(ctx, "mq_attr_flags", mq_flags);
  } else {
    o.hex(mq_flags);
  }
  static constexpr std::string_view kNames[] = {"mq_maxmsg", "mq_msgsize", "mq_curmsgs"};
  for (std::size_t i = 0; i < 3; ++i) {
    o.field(kNames[i]);
    o.int_(v[i + 1]);
  }
  o.end_struct();
}

}  // namespace

void print_mq_attr(DecodeCtx& ctx, std::uint64_t addr) { mq_attr(ctx, addr, true); }
void print_mq_attr_open(DecodeCtx& ctx, std::uint64_t addr) { mq_attr(ctx, addr, false); }

}  // namespace ptk::sys::ffam
