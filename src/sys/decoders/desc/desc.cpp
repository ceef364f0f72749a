// Decoders of the desc family: descriptors and the I/O on them. fcntl is in desc_fcntl.cpp,
// ioctl in ioctl/ (by device family), poll/select/epoll_wait in desc_poll.cpp; read, write,
// pread64, pwrite64, close, dup, dup2 and the like need nothing beyond the generic decoder.
#include <cstring>

#include "desc_util.h"

namespace ptk::sys {
namespace {

using desc::xflags;

std::string_view name_of(const DecodeCtx& ctx) {
  return ctx.syscall().spec != nullptr ? ctx.syscall().spec->name : std::string_view();
}

// readv, preadv, preadv2: the descriptor at entry; the iovecs the kernel filled (the bytes
// bounded by the return value; addresses only after a failure), the count, the offset and
// the flags at exit.
void decode_readv(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  bool ok = !ctx.failed();
  desc::iov(ctx, ctx.u(1), ctx.u(2), ok ? static_cast<std::uint64_t>(ctx.ret()) : ~0ull, ok);
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
  std::string_view name = name_of(ctx);
  if (name == "readv") return;
  ctx.arg(3);
  ctx.out().int_(static_cast<std::int64_t>(ctx.u64_pair(3)));
  if (name == "preadv2") {
    ctx.arg(5);
    xflags(ctx.out(), "rwf_flags", static_cast<std::uint32_t>(ctx.u(5)));
  }
}

// writev, pwritev, pwritev2, vmsplice: everything at entry, each iovec with its bytes.
void decode_writev(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  ctx.arg(1);
  desc::iov(ctx, ctx.u(1), ctx.u(2), ~0ull, true);
  ctx.arg(2);
  ctx.out().uint_(ctx.u(2));
  std::string_view name = name_of(ctx);
  if (name == "vmsplice") {
    ctx.arg(3);
    xflags(ctx.out(), "splice_flags", static_cast<std::uint32_t>(ctx.u(3)));
    return;
  }
  if (name == "writev") return;
  ctx.arg(3);
  ctx.out().int_(static_cast<std::int64_t>(ctx.u64_pair(3)));
  if (name == "pwritev2") {
    ctx.arg(5);
    xflags(ctx.out(), "rwf_flags", static_cast<std::uint32_t>(ctx.u(5)));
  }
}

// pipe(fds), pipe2(fds, flags): strace prints nothing before the kernel has filled the pair.
void decode_pipe(DecodeCtx& ctx) {
  if (ctx.entering()) {
    ctx.syscall().more_at_exit = false;
    return;
  }
  ctx.arg(0);
  ctx.structure("fd_pair", ctx.u(0), true);
  if (name_of(ctx) == "pipe2") {
    ctx.arg(1);
    xflags(ctx.out(), "open_flags", static_cast<std::uint32_t>(ctx.u(1)));
  }
}

// int[2] of descriptors: [3, 4] (pipe, socketpair).
void print_fd_pair(DecodeCtx& ctx, std::uint64_t addr) {
  std::int32_t fds[2];
  if (!ctx.read(addr, fds)) {
    ctx.out().ptr(addr);
    return;
  }
  ctx.out().begin_array();
  ctx.fd(fds[0]);
  ctx.fd(fds[1]);
  ctx.out().end_array();
}

// close_range(first, last, flags): strace 6.1 shows both bounds as plain unsigned numbers
// (~0U as 4294967295), without -y paths.
void decode_close_range(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.out().uint_(static_cast<std::uint32_t>(ctx.u(0)));
  ctx.arg(1);
  ctx.out().uint_(static_cast<std::uint32_t>(ctx.u(1)));
  ctx.arg(2);
  xflags(ctx.out(), "close_range_flags", static_cast<std::uint32_t>(ctx.u(2)));
}

// The offset sendfile reads and updates: an off_t (the tracee's long) for sendfile, a loff_t
// for sendfile64.
bool sendfile_offset(DecodeCtx& ctx, std::uint64_t addr) {
  return name_of(ctx) == "sendfile64" ? desc::num_int64(ctx, addr) : desc::num_ulong(ctx, addr);
}

// sendfile(out, in, offset, count): with an offset to update and a nonzero count, strace
// shows the offset before and after: [5] => [15]; else everything at entry.
void decode_sendfile(DecodeCtx& ctx) {
  DecodedSyscall& sc = ctx.syscall();
  std::uint64_t off = ctx.u(2);
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    ctx.arg(1);
    ctx.fd(ctx.s(1));
    ctx.arg(2);
    bool readable = sendfile_offset(ctx, off);
    sc.more_at_exit = false;
    sc.priv = readable && ctx.u(3) != 0 ? 1 : 0;
    if (sc.priv == 0) {
      ctx.arg(3);
      ctx.out().uint_(ctx.u(3));
    }
    return;
  }
  if (sc.priv == 0) return;
  if (!ctx.failed() && ctx.ret() != 0) {
    ctx.out().raw(" => ");
    sendfile_offset(ctx, off);
  }
  ctx.arg(3);
  ctx.out().uint_(ctx.u(3));
}

// splice(in, off_in, out, off_out, len, flags) and copy_file_range: all at entry, the offsets
// as the loff_t they point to.
void decode_splice(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  ctx.arg(1);
  desc::num_int64(ctx, ctx.u(1));
  ctx.arg(2);
  ctx.fd(ctx.s(2));
  ctx.arg(3);
  desc::num_int64(ctx, ctx.u(3));
  ctx.arg(4);
  ctx.out().uint_(ctx.u(4));
  ctx.arg(5);
  if (name_of(ctx) == "splice") {
    xflags(ctx.out(), "splice_flags", static_cast<std::uint32_t>(ctx.u(5)));
  } else {
    ctx.out().uint_(static_cast<std::uint32_t>(ctx.u(5)));
  }
}

constexpr DecoderEntry kDecoders[] = {
    {"_newselect", desc::decode_select},
    {"close_range", decode_close_range},
    {"copy_file_range", decode_splice},
    {"dup3", desc::generic_x},
    {"epoll_create1", desc::generic_x},
    {"epoll_ctl", desc::decode_epoll_ctl},
    {"epoll_pwait", desc::decode_epoll_pwait},
    {"epoll_pwait2", desc::decode_epoll_pwait2},
    {"epoll_wait", desc::decode_epoll_wait},
    {"eventfd2", desc::generic_x},
    {"fadvise64", desc::generic_x},
    {"fadvise64_64", desc::generic_x},
    {"fallocate", desc::generic_x},
    {"fcntl", desc::decode_fcntl},
    {"fcntl64", desc::decode_fcntl64},
    {"flock", desc::generic_x},
    {"inotify_add_watch", desc::generic_x},
    {"inotify_init1", desc::generic_x},
    {"ioctl", desc::decode_ioctl},
    {"lseek", desc::generic_x},
    {"perf_event_open", desc::decode_perf_event_open},
    {"pidfd_getfd", desc::decode_pidfd_getfd},
    {"pipe", decode_pipe},
    {"io_cancel", desc::decode_io_cancel},
    {"io_getevents", desc::decode_io_getevents},
    {"io_pgetevents", desc::decode_io_getevents},
    {"io_pgetevents_time64", desc::decode_io_getevents},
    {"io_submit", desc::decode_io_submit},
    {"pipe2", decode_pipe},
    {"poll", desc::decode_poll},
    {"ppoll", desc::decode_ppoll},
    {"ppoll_time64", desc::decode_ppoll_time64},
    {"preadv", decode_readv},
    {"preadv2", decode_readv},
    {"pselect6", desc::decode_pselect6},
    {"pselect6_time64", desc::decode_pselect6_time64},
    {"pwritev", decode_writev},
    {"pwritev2", decode_writev},
    {"readv", decode_readv},
    {"sendfile", decode_sendfile},
    {"sendfile64", decode_sendfile},
    {"splice", decode_splice},
    {"sync_file_range", desc::generic_x},
    {"tee", desc::generic_x},
    {"vmsplice", decode_writev},
    {"writev", decode_writev},
};

constexpr StructEntry kStructs[] = {
    {"fd_pair", print_fd_pair},
};

}  // namespace

Family desc_family() { return {std::span(kDecoders), std::span(kStructs)}; }

}  // namespace ptk::sys
