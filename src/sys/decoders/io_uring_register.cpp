// io_uring_register(2): the opcode by name, and the arrays of the opcodes that register
// buffers (iovecs, shown by address: their bytes are not the call's) or descriptors.
#include <cstring>

#include "arg_util.h"
#include "misc_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

// The opcodes whose argument is an array of nr_args elements (linux/io_uring.h).
constexpr std::uint32_t kRegisterBuffers = 0;
constexpr std::uint32_t kRegisterFiles = 2;
constexpr std::uint32_t kRegisterEventfd = 4;
constexpr std::uint32_t kRegisterEventfdAsync = 7;

void iovec_addresses(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n) {
  auto w = static_cast<std::size_t>(ctx.word_size());
  pfam::print_array(ctx, addr, n, 2 * w, [&](const unsigned char* p) {
    std::uint64_t base = 0, len = 0;
    std::memcpy(&base, p, w);  // little-endian: the low bytes of a 64-bit value
    std::memcpy(&len, p + w, w);
    TokenList& o = ctx.out();
    o.begin_struct();
    o.field("iov_base");
    o.ptr(base);
    o.field("iov_len");
    o.uint_(len);
    o.end_struct();
  });
}

void fds(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n) {
  pfam::print_array(ctx, addr, n, sizeof(std::int32_t), [&](const unsigned char* p) {
    std::int32_t fd = 0;
    std::memcpy(&fd, p, sizeof fd);
    ctx.fd(fd);
  });
}

}  // namespace

void decode_io_uring_register(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  auto opcode = static_cast<std::uint32_t>(ctx.u(1));
  auto n = static_cast<std::uint32_t>(ctx.u(3));
  afam::fd_arg(ctx, 0);
  ctx.arg(1);
  ctx.symbol("io_uring_register_op", opcode);
  ctx.arg(2);
  switch (opcode) {
    case kRegisterBuffers:
      iovec_addresses(ctx, ctx.u(2), n);
      break;
    case kRegisterFiles:
    case kRegisterEventfd:
    case kRegisterEventfdAsync:
      fds(ctx, ctx.u(2), n);
      break;
    default:
      ctx.pointer(ctx.u(2));
      break;
  }
  afam::uint_arg(ctx, 3);
}

}  // namespace ptk::sys
