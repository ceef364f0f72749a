// Linux native AIO: io_submit's iocbs, io_getevents' events, io_cancel, io_pgetevents' signal
// mask, as strace's aio.c prints them.
#include <cstring>

#include "decoders/process/process_decoders.h"
#include "desc_util.h"

namespace ptk::sys::desc {
namespace {

// struct iocb (linux/aio_abi.h), 64 bytes on every ABI.
struct Iocb {
  std::uint64_t data;
  std::uint32_t key, rw_flags;
  std::uint16_t opcode;
  std::int16_t reqprio;
  std::uint32_t fildes;
  std::uint64_t buf, nbytes;
  std::int64_t offset;
  std::uint64_t reserved2;
  std::uint32_t flags, resfd;
};
static_assert(sizeof(Iocb) == 64);

constexpr std::uint32_t kFlagResfd = 1, kFlagIoprio = 2;  // IOCB_FLAG_*
enum Cmd : std::uint16_t { kPread = 0, kPwrite = 1, kPoll = 5, kPreadv = 7, kPwritev = 8 };

// aio_data, aio_key, aio_rw_flags when set, aio_lio_opcode, the priority and aio_fildes.
void iocb_header(DecodeCtx& ctx, const Iocb& cb) {
  TokenList& o = ctx.out();
  o.field("aio_data");
  o.hex(cb.data);
  if (cb.key != 0) {
    o.field("aio_key");
    o.uint_(cb.key);
  }
  if (cb.rw_flags != 0) {
    o.field("aio_rw_flags");
    xflags(o, "rwf_flags", cb.rw_flags);
  }
  o.field("aio_lio_opcode");
  // An unknown command in decimal, as strace's XLAT_STYLE_FMT_U.
  const Xlat* cmds = find_xlat("aio_cmds");
  std::string_view name = cmds != nullptr ? xlat_name(*cmds, cb.opcode) : std::string_view();
  if (!name.empty()) {
    o.name(name, cb.opcode);
  } else {
    o.uint_(cb.opcode);
    o.comment("IOCB_CMD_???");
  }
  if ((cb.flags & kFlagIoprio) != 0) {
    o.field("aio_reqprio");
    print_ioprio(ctx, static_cast<std::uint16_t>(cb.reqprio));
  } else if (cb.reqprio != 0) {
    o.field("aio_reqprio");
    o.int_(cb.reqprio);
  }
  o.field("aio_fildes");
  ctx.fd(static_cast<std::int32_t>(cb.fildes));
}

void iocb_flags(DecodeCtx& ctx, const Iocb& cb) {
  TokenList& o = ctx.out();
  if (cb.flags != 0) {
    o.field("aio_flags");
    xflags(o, "aio_iocb_flags", cb.flags);
  }
  if ((cb.flags & kFlagResfd) != 0) {
    o.field("aio_resfd");
    ctx.fd(static_cast<std::int32_t>(cb.resfd));
  } else if (cb.resfd != 0) {
    o.field("aio_resfd");
    o.hex(cb.resfd);
  }
}

void iocb(DecodeCtx& ctx, const Iocb& cb) {
  TokenList& o = ctx.out();
  o.begin_struct();
  iocb_header(ctx, cb);
  // Sizes a 64-bit kernel would refuse (a negative count) are shown as they are.
  bool valid = static_cast<std::int64_t>(cb.nbytes) >= 0;
  switch (cb.opcode) {
    case kPread:
    case kPwrite:
      o.field("aio_buf");
      if (cb.opcode == kPwrite && valid) {
        ctx.buffer(cb.buf, cb.nbytes);
      } else {
        o.hex(cb.buf);
      }
      o.field("aio_nbytes");
      o.uint_(cb.nbytes);
      o.field("aio_offset");
      o.int_(cb.offset);
      iocb_flags(ctx, cb);
      break;
    case kPreadv:
    case kPwritev:
      o.field("aio_buf");
      if (valid) {
        iov(ctx, cb.buf, cb.nbytes, ~std::uint64_t{0}, cb.opcode == kPwritev);
      } else {
        o.hex(cb.buf);
        o.field("aio_nbytes");
        o.uint_(cb.nbytes);
      }
      o.field("aio_offset");
      o.int_(cb.offset);
      iocb_flags(ctx, cb);
      break;
    case kPoll:
      o.field("aio_buf");
      xflags(o, "poll_events", cb.buf);
      iocb_flags(ctx, cb);
      break;
    default:
      break;
  }
  o.end_struct();
}

void io_event(TokenList& o, const unsigned char* p) {
  std::uint64_t data, obj;
  std::int64_t res, res2;
  std::memcpy(&data, p, 8);
  std::memcpy(&obj, p + 8, 8);
  std::memcpy(&res, p + 16, 8);
  std::memcpy(&res2, p + 24, 8);
  o.begin_struct();
  o.field("data");
  o.hex(data);
  o.field("obj");
  o.hex(obj);
  o.field("res");
  o.int_(res);
  o.field("res2");
  o.int_(res2);
  o.end_struct();
}

// A long argument as the tracee's ABI holds it.
std::int64_t klong(DecodeCtx& ctx, int i) {
  return ctx.word_size() == 4 ? static_cast<std::int32_t>(ctx.u(i)) : ctx.s(i);
}

}  // namespace

void decode_io_submit(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  TokenList& o = ctx.out();
  ctx.arg(0);
  o.ptr(ctx.u(0));
  ctx.arg(1);
  std::int64_t nr = klong(ctx, 1);
  o.int_(nr);
  ctx.arg(2);
  if (nr < 0) {
    o.ptr(ctx.u(2));
    return;
  }
  auto word = static_cast<std::size_t>(ctx.word_size());
  array(ctx, ctx.u(2), static_cast<std::uint64_t>(nr), word, [&](const unsigned char* p) {
    std::uint64_t at = 0;
    std::memcpy(&at, p, word);
    Iocb cb{};
    if (at == 0 || !ctx.read(at, cb)) {
      o.ptr(at);
    } else {
      iocb(ctx, cb);
    }
  });
}

void decode_io_cancel(DecodeCtx& ctx) {
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    ctx.arg(0);
    o.ptr(ctx.u(0));
    ctx.arg(1);
    Iocb cb{};
    if (ctx.u(1) == 0 || !ctx.read(ctx.u(1), cb)) {
      o.ptr(ctx.u(1));
    } else {
      o.begin_struct();
      iocb_header(ctx, cb);
      o.end_struct();
    }
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(2);
  unsigned char ev[32];
  if (ctx.failed() || ctx.u(2) == 0 || !ctx.read(ctx.u(2), ev, sizeof ev)) {
    o.ptr(ctx.u(2));
  } else {
    io_event(o, ev);
  }
}

// io_getevents and io_pgetevents: the events at exit, then the timeout and the signal mask
// the kernel read at entry (shown the same whether the call failed or not).
void decode_io_getevents(DecodeCtx& ctx) {
  TokenList& o = ctx.out();
  if (ctx.entering()) {
    ctx.arg(0);
    o.ptr(ctx.u(0));
    ctx.arg(1);
    o.int_(klong(ctx, 1));
    ctx.arg(2);
    o.int_(klong(ctx, 2));
    ctx.syscall().more_at_exit = true;
    return;
  }
  std::string_view name = ctx.syscall().spec->name;
  ctx.arg(3);
  if (ctx.failed()) {
    o.ptr(ctx.u(3));
  } else {
    array(ctx, ctx.u(3), static_cast<std::uint64_t>(ctx.ret()), 32,
          [&](const unsigned char* p) { io_event(o, p); });
  }
  ctx.arg(4);
  bool time64 = name.ends_with("time64") || ctx.word_size() == 8;
  ctx.structure(time64 ? "timespec64" : "timespec", ctx.u(4), false);
  if (!name.starts_with("io_pgetevents")) return;
  // struct __aio_sigset: the mask's address and its size, as pselect6's sixth argument.
  ctx.arg(5);
  sigset_with_size(ctx, ctx.u(5));
}

}  // namespace ptk::sys::desc
