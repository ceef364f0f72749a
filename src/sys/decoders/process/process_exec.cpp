// execve and execveat: everything is decoded at entry, since a successful exec replaces the
// memory the arguments lived in.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <span>

#include "process_decoders.h"
#include "process_util.h"

namespace ptk::sys {
namespace {

// Pointers are read a chunk at a time: one memory read serves a typical argv or envp.
constexpr std::size_t kChunk = 128;
// An environment count goes no further than this many words, whatever the tracee holds.
constexpr std::uint64_t kMaxEnvCount = 1u << 20;

// Reads the pointer array at addr from element `first`; returns how many whole elements were
// readable (0 when the first one is not).
std::size_t read_ptrs(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t first,
                      std::array<std::uint64_t, kChunk>& out) {
  auto ws = static_cast<std::uint64_t>(ctx.word_size());
  std::array<std::byte, kChunk * 8> buf{};
  std::uint64_t at = addr + first * ws;
  if (at < addr) return 0;  // wrapped around the address space
  // Never read across the top of the address space.
  std::uint64_t room = (~0ull - at) / ws + 1;
  std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, room));
  auto got = ctx.memory().read(RemoteAddr(at), std::span(buf.data(), want * ws));
  if (!got.ok()) return 0;
  std::size_t n = *got / ws;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t v = 0;
    std::memcpy(&v, buf.data() + i * ws, ws);
    out[i] = v;
  }
  return n;
}

// strace's printargv: ["ls", "-l"], cut after -s elements without -v ("..."); an unreadable
// element pointer ends the array with "... /* 0xaddr */".
void argv_array(DecodeCtx& ctx, std::uint64_t addr) {
  TokenList& o = ctx.out();
  if (addr == 0) {
    o.ptr(0);
    return;
  }
  auto ws = static_cast<std::uint64_t>(ctx.word_size());
  const DecodeOptions& opts = ctx.options();
  std::uint64_t limit = opts.verbose ? opts.max_array : opts.string_limit;
  std::array<std::uint64_t, kChunk> ptrs{};
  std::uint64_t n = 0;
  for (;;) {
    std::size_t got = read_ptrs(ctx, addr, n, ptrs);
    if (got == 0) {
      if (n == 0) {
        o.ptr(addr);
        return;
      }
      o.raw("...");
      o.comment(fmt::format("{:#x}", addr + n * ws));
      break;
    }
    if (n == 0) o.begin_array();
    bool done = false;
    for (std::size_t i = 0; i < got && !done; ++i, ++n) {
      if (ptrs[i] == 0) {
        done = true;
      } else if (n + 1 > limit) {
        o.raw("...");
        done = true;
      } else {
        ctx.string(ptrs[i]);
      }
    }
    if (done) break;
  }
  o.end_array();
}

// strace's printargc: the address and the number of variables in a comment, ", unterminated"
// when the array runs into unreadable memory before its NULL.
void env_count(DecodeCtx& ctx, std::uint64_t addr) {
  TokenList& o = ctx.out();
  o.ptr(addr);
  if (addr == 0) return;
  std::array<std::uint64_t, kChunk> ptrs{};
  std::uint64_t n = 0;
  bool unterminated = false;
  while (n < kMaxEnvCount) {
    std::size_t got = read_ptrs(ctx, addr, n, ptrs);
    if (got == 0) {
      if (n == 0) return;
      unterminated = true;
      break;
    }
    std::size_t i = 0;
    while (i < got && ptrs[i] != 0) ++i;
    n += i;
    if (i < got) break;
  }
  o.comment(fmt::format("{} var{}{}", n, n == 1 ? "" : "s", unterminated ? ", unterminated" : ""));
}

void exec_args(DecodeCtx& ctx, int first) {
  ctx.arg(first);
  ctx.path(ctx.u(first));
  ctx.arg(first + 1);
  // -e verbose=!execve: both arrays as bare addresses, the variables left uncounted (strace's
  // qual_syscall.test).
  if (!ctx.options().dereference) {
    ctx.out().ptr(ctx.u(first + 1));
    ctx.arg(first + 2);
    ctx.out().ptr(ctx.u(first + 2));
    return;
  }
  argv_array(ctx, ctx.u(first + 1));
  ctx.arg(first + 2);
  if (ctx.options().verbose) {
    argv_array(ctx, ctx.u(first + 2));
  } else {
    env_count(ctx, ctx.u(first + 2));
  }
}

}  // namespace

void decode_execve(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  exec_args(ctx, 0);
}

void decode_execveat(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  ctx.arg(0);
  ctx.dirfd(ctx.s(0));
  exec_args(ctx, 1);
  ctx.arg(4);
  pfam::xflags(ctx.out(), "at_flags", static_cast<std::uint32_t>(ctx.u(4)), "AT_???");
}

}  // namespace ptk::sys
