// Building blocks of the desc family: flags and values spelled as strace spells them, bounded
// arrays as strace's print_array walks them, iovec arrays, and the decoders the family's files
// share through the registry in desc.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "decoders/families.h"

namespace ptk::sys::desc {

// strace's placeholder for a value a table of this family lacks ("SEEK_???"), or empty.
std::string_view unknown_of(std::string_view table);

// An OR of flags: NAME|NAME|0xrest; a nonzero value without a known bit is the hex number with
// the table's placeholder in a comment; 0 prints as 0 unless the table names it.
void xflags(TokenList& out, std::string_view table, std::uint64_t value);
// One value of a table: its name, or the hex number and the placeholder comment.
void xval(TokenList& out, std::string_view table, std::uint64_t value);
// The text xflags would print (for strace's fixed-size result strings), without a comment.
std::string flags_text(std::string_view table, std::uint64_t value);

// open(2)-style flags with the access mode first: O_RDWR|O_NONBLOCK (fcntl F_GETFL/F_SETFL).
void open_modes(TokenList& out, std::uint64_t flags);

// Argument i as the syscall table says, with unknown flags and values spelled as strace does.
void arg_value(DecodeCtx& ctx, int i);
// The generic walk with arg_value: inputs at entry, from the first output on at exit.
void generic_x(DecodeCtx& ctx);

// Runs `fn` with ctx.out() pointing at the tokens after the return value (ret_aux), so that
// struct printers of any family can print there (ppoll's "left {tv_sec=...}").
template <typename Fn>
void to_aux(DecodeCtx& ctx, Fn&& fn) {
  DecodedSyscall& sc = ctx.syscall();
  std::swap(sc.args, sc.ret_aux);
  std::forward<Fn>(fn)();
  std::swap(sc.args, sc.ret_aux);
}

// Walks an array of `nmemb` elements of `size` bytes (at most 64) at addr as strace's
// print_array: NULL, [] for none, the address when the size wraps or the first element is
// unreadable, "..." after the -s limit (not with -v; max_array always), and
// "... /* 0xaddr */" where a later element is unreadable. `elem` gets each element's bytes.
// Returns the number of elements read.
template <typename Elem>
std::uint64_t array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t nmemb, std::size_t size,
                    Elem&& elem);

// An iovec array: {iov_base=..., iov_len=N} elements. With `contents` each base shows its
// bytes, at most `data_size` in total (a readv's return value; ~0 for no limit); else its
// address.
// {sigmask=[...], sigsetsize=N}: a {const sigset_t *, size_t} pair in the tracee's words at
// addr (pselect6's sixth argument, io_pgetevents' struct __aio_sigset); the address when NULL
// or unreadable.
void sigset_with_size(DecodeCtx& ctx, std::uint64_t addr);

void iov(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t count, std::uint64_t data_size,
         bool contents);

// A number the argument points to, in brackets as strace's printnum_*: [5], NULL, or the
// address when unreadable or when this is the exit of a failed call. True for [N].
bool num_int(DecodeCtx& ctx, std::uint64_t addr);     // int, decimal
bool num_uint(DecodeCtx& ctx, std::uint64_t addr);    // unsigned int
bool num_ulong(DecodeCtx& ctx, std::uint64_t addr);   // the tracee's long, unsigned
bool num_int64(DecodeCtx& ctx, std::uint64_t addr);   // loff_t, signed
bool num_uint64(DecodeCtx& ctx, std::uint64_t addr);  // u64, unsigned
bool num_flags(DecodeCtx& ctx, std::uint64_t addr, std::string_view table);  // [FLAG|FLAG]

// 0x1f, as strace's %#llx.
std::string hex_text(std::uint64_t v);

// True when an output of this call cannot be shown: the exit of a failed call.
inline bool failed_exit(const DecodeCtx& ctx) { return ctx.exiting() && ctx.failed(); }

// Decoders of the family's other files, listed in desc.cpp's registry.
void decode_fcntl(DecodeCtx& ctx);
void decode_fcntl64(DecodeCtx& ctx);
void decode_ioctl(DecodeCtx& ctx);
void decode_poll(DecodeCtx& ctx);
// desc_aio.cpp: native AIO.
void decode_io_submit(DecodeCtx& ctx);
void decode_io_cancel(DecodeCtx& ctx);
void decode_io_getevents(DecodeCtx& ctx);  // and io_pgetevents
void decode_ppoll(DecodeCtx& ctx);
void decode_ppoll_time64(DecodeCtx& ctx);
void decode_select(DecodeCtx& ctx);
void decode_pselect6(DecodeCtx& ctx);
void decode_pselect6_time64(DecodeCtx& ctx);
void decode_epoll_wait(DecodeCtx& ctx);
void decode_epoll_pwait(DecodeCtx& ctx);
void decode_epoll_pwait2(DecodeCtx& ctx);
void decode_epoll_ctl(DecodeCtx& ctx);
void decode_perf_event_open(DecodeCtx& ctx);  // desc_perf.cpp
void decode_pidfd_getfd(DecodeCtx& ctx);      // desc_pidfd.cpp

// ---- implementation of the template ----

template <typename Elem>
std::uint64_t array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t nmemb, std::size_t size,
                    Elem&& elem) {
  TokenList& o = ctx.out();
  if (addr == 0) {
    o.ptr(0);
    return 0;
  }
  if (nmemb == 0) {
    o.begin_array();
    o.end_array();
    return 0;
  }
  std::uint64_t bytes = 0;
  if (__builtin_mul_overflow(nmemb, size, &bytes) || addr + bytes <= addr) {
    o.ptr(addr);
    return 0;
  }
  const DecodeOptions& opts = ctx.options();
  std::uint64_t limit = nmemb;
  if (!opts.verbose && opts.abbrev_array < limit) limit = opts.abbrev_array;
  // Whatever -v says, never more than max_array elements.
  if (limit > opts.max_array) limit = opts.max_array;
  unsigned char buf[64];
  std::uint64_t i = 0;
  for (; i < nmemb; ++i) {
    std::uint64_t at = addr + i * size;
    if (!ctx.read(at, buf, size)) {
      if (i == 0) {
        o.ptr(addr);
        return 0;
      }
      o.raw("...");
      o.comment(hex_text(at));
      o.end_array();
      return i;
    }
    if (i == 0) o.begin_array();
    if (i >= limit) {
      o.end_array(true);
      return i;
    }
    elem(static_cast<const unsigned char*>(buf));
  }
  o.end_array();
  return i;
}

}  // namespace ptk::sys::desc
