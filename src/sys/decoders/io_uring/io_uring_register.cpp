// io_uring_register(2): the opcode by name and its argument as the opcode defines it (the
// structs: io_uring_register_structs.cpp, io_uring_register_rsrc.cpp; the ones the kernel
// writes back: io_uring_register_exit.cpp).
#include "io_uring_register.h"

#include <fmt/format.h>

#include <cstring>

#include "decoders/arg_util.h"
#include "decoders/misc/misc_decoders.h"
#include "decoders/process/process_decoders.h"
#include "decoders/process/process_util.h"

namespace ptk::sys {
namespace uring {

std::string hex_text(std::uint64_t v) { return v == 0 ? "0" : fmt::format("{:#x}", v); }

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

void fd_array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n, bool skip) {
  pfam::print_array(ctx, addr, n, sizeof(std::int32_t), [&](const unsigned char* p) {
    std::int32_t fd = 0;
    std::memcpy(&fd, p, sizeof fd);
    if (skip && fd == -2) {
      ctx.out().styled("-2", "IORING_REGISTER_FILES_SKIP");
    } else {
      ctx.fd(fd);
    }
  });
}

}  // namespace uring

namespace {

// linux/io_uring.h's opcodes of io_uring_register (as of Linux 6.1).
enum Opcode : std::uint32_t {
  kRegisterBuffers = 0,
  kRegisterFiles = 2,
  kRegisterEventfd = 4,
  kRegisterFilesUpdate = 6,
  kRegisterEventfdAsync = 7,
  kRegisterProbe = 8,
  kRegisterRestrictions = 11,
  kRegisterFiles2 = 13,
  kRegisterFilesUpdate2 = 14,
  kRegisterBuffers2 = 15,
  kRegisterBuffersUpdate = 16,
  kRegisterIowqAff = 17,
  kRegisterIowqMaxWorkers = 19,
  kRegisterRingFds = 20,
  kUnregisterRingFds = 21,
  kRegisterPbufRing = 22,
  kUnregisterPbufRing = 23,
};

// The argument of the opcodes that print everything at entry.
void entry_arg(DecodeCtx& ctx, std::uint32_t opcode, std::uint64_t arg, std::uint32_t n) {
  switch (opcode) {
    case kRegisterBuffers:
      uring::iovec_addresses(ctx, arg, n);
      break;
    case kRegisterFiles:
    case kRegisterEventfd:
    case kRegisterEventfdAsync:
      uring::fd_array(ctx, arg, n, false);
      break;
    case kRegisterFilesUpdate:
      uring::files_update(ctx, arg, n);
      break;
    case kRegisterRestrictions:
      uring::restrictions(ctx, arg, n);
      break;
    case kRegisterFiles2:
    case kRegisterBuffers2:
      uring::rsrc_register(ctx, arg, n, opcode);
      break;
    case kRegisterFilesUpdate2:
    case kRegisterBuffersUpdate:
      uring::rsrc_update(ctx, arg, n, opcode);
      break;
    case kRegisterIowqAff:
      print_affinitylist(ctx, arg, n);
      break;
    case kRegisterRingFds:
    case kUnregisterRingFds:
      uring::ring_fds(ctx, arg, n, opcode == kUnregisterRingFds);
      break;
    case kRegisterPbufRing:
    case kUnregisterPbufRing:
      uring::buf_reg(ctx, arg);
      break;
    default:  // no argument, or one ptk does not know
      ctx.pointer(arg);
      break;
  }
}

// priv: the argument's Arg token waits for the exit.
constexpr std::uint64_t kArgAtExit = 4;

}  // namespace

void decode_io_uring_register(DecodeCtx& ctx) {
  auto opcode = afam::u32(ctx, 1);
  auto n = afam::u32(ctx, 3);
  std::uint64_t arg = ctx.u(2);
  DecodedSyscall& sc = ctx.syscall();
  TokenList& o = ctx.out();
  std::size_t arg_start = o.size();
  if (ctx.entering()) {
    afam::fd_arg(ctx, 0);
    afam::xval32_arg(ctx, 1, "io_uring_register_op", "IORING_REGISTER_???");
    arg_start = o.size();
    ctx.arg(2);
    sc.priv = 0;
  } else if ((sc.priv & uring::kMoreAtExit) == 0) {
    return;
  } else if ((sc.priv & kArgAtExit) != 0) {
    ctx.arg(2);
  }
  if (opcode == kRegisterProbe) {
    uring::probe(ctx, arg, n);
  } else if (opcode == kRegisterIowqMaxWorkers) {
    uring::iowq_max_workers(ctx, arg, n);
  } else {
    entry_arg(ctx, opcode, arg, n);
  }
  if (ctx.entering() && (sc.priv & uring::kMoreAtExit) != 0) {
    // An argument the entry showed nothing of starts at exit, after the unfinished line's ", "
    // (strace: "IORING_REGISTER_PROBE, <unfinished ...>"); one it showed goes on at exit.
    if (o.size() == arg_start + 1) {
      o.truncate(arg_start);
      sc.priv |= kArgAtExit;
      sc.more_at_exit = true;
    }
    return;
  }
  afam::uint_arg(ctx, 3);
}

}  // namespace ptk::sys
