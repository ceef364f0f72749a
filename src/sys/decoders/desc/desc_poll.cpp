// Waiting on descriptors: poll/ppoll, select/pselect6 and the epoll calls. strace shows the
// ready descriptors after the return value from fixed 1024-byte buffers; the limits below
// reproduce where it cuts them.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "desc_util.h"
#include "ptk/arch/struct_layouts.h"
#include "ptk/sys/render.h"

namespace ptk::sys::desc {
namespace {

constexpr std::size_t kOutstr = 1024;            // strace's result buffer
constexpr std::int64_t kMaxSelectFds = 1 << 20;  // strace's bound on select's nfds

// Prints a time struct after the return value as "left {...}", unless that would overflow
// strace's buffer (then ", ..." as strace). `text` is what precedes it in the same buffer.
void left_time(DecodeCtx& ctx, std::string_view type, std::uint64_t addr, std::string& text,
               std::string_view sep, bool poll_style) {
  TokenList& aux = ctx.syscall().ret_aux;
  std::size_t mark = aux.size();
  to_aux(ctx, [&] { ctx.structure(type, addr, false); });
  std::string rendered;
  render_tokens(aux, mark, aux.size(), TextOptions{}, rendered);
  aux.truncate(mark);
  if (poll_style) {
    // sizeof(", left ") counts the NUL.
    if (text.size() + 8 + rendered.size() < kOutstr) {
      text += text.empty() ? "left " : ", left ";
      text += rendered;
    } else {
      text += ", ...";
    }
  } else if (text.size() + 6 + sep.size() + rendered.size() < kOutstr) {
    text += sep;
    text += "left ";
    text += rendered;
  }
}

// ---- poll, ppoll ----

void print_pollfd(DecodeCtx& ctx, const unsigned char* p) {
  std::int32_t fd = 0;
  std::uint16_t events = 0;
  std::memcpy(&fd, p, 4);
  std::memcpy(&events, p + 4, 2);
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("fd");
  ctx.fd(fd);
  if (fd >= 0) {
    o.field("events");
    xflags(o, "poll_events", events);
  }
  o.end_struct();
}

void poll_entry(DecodeCtx& ctx) {
  auto nfds = static_cast<std::uint32_t>(ctx.u(1));
  ctx.arg(0);
  array(ctx, ctx.u(0), nfds, 8, [&](const unsigned char* p) { print_pollfd(ctx, p); });
  ctx.arg(1);
  ctx.out().uint_(nfds);
  ctx.syscall().more_at_exit = false;
}

// The ready descriptors: [{fd=3, revents=POLLIN}, ...] and the time left of a ppoll.
void poll_exit(DecodeCtx& ctx, std::string_view ts_type, std::uint64_t ts) {
  if (ctx.failed()) return;
  TokenList& aux = ctx.syscall().ret_aux;
  if (ctx.ret() == 0) {
    aux.raw("Timeout");
    return;
  }
  auto nfds = static_cast<std::uint32_t>(ctx.u(1));
  std::uint64_t start = ctx.u(0);
  if (start == 0 || nfds == 0) return;
  const DecodeOptions& opts = ctx.options();
  std::string text;
  std::uint64_t printed = 0;
  std::uint64_t ready = 0;
  auto open = [&] { text += text.empty() ? "[" : ", "; };
  // The kernel writes revents of every entry and returns how many are nonzero: after that
  // many, the rest are zero and need no reading.
  const auto want = static_cast<std::uint64_t>(ctx.ret());
  constexpr std::uint32_t kChunk = 256;
  unsigned char chunk[kChunk * 8];
  for (std::uint32_t base = 0; base < nfds && ready < want; base += kChunk) {
    std::uint32_t n = std::min(kChunk, nfds - base);
    bool whole = ctx.read(start + base * 8ull, chunk, n * 8ull);
    bool stop = false;
    for (std::uint32_t k = 0; k < n && ready < want; ++k) {
      std::uint64_t at = start + (base + k) * 8ull;
      if (!whole && !ctx.read(at, chunk + k * 8, 8)) {
        open();
        text += hex_text(at);
        stop = true;
        break;
      }
      std::int32_t fd = 0;
      std::uint16_t revents = 0;
      std::memcpy(&fd, chunk + k * 8, 4);
      std::memcpy(&revents, chunk + k * 8 + 6, 2);
      if (revents == 0) continue;
      ++ready;
      open();
      if (!opts.verbose && printed + 1 > opts.abbrev_array) {
        text += "...";
        stop = true;
        break;
      }
      std::string entry =
          fmt::format("{{fd={}, revents={}", fd, flags_text("poll_events", revents));
      // strace keeps room for "0x" and a long's hex digits and ", ], ...".
      if (text.size() + entry.size() + 1 >= kOutstr - (2 + 2 * 8 + 9)) {
        text += "...";
        stop = true;
        break;
      }
      text += entry;
      text += '}';
      ++printed;
    }
    if (stop) break;
  }
  if (!text.empty()) text += ']';
  if (ts != 0) left_time(ctx, ts_type, ts, text, {}, true);
  if (!text.empty()) aux.raw(text);
}

void decode_ppoll_common(DecodeCtx& ctx, std::string_view ts_type) {
  if (ctx.entering()) {
    poll_entry(ctx);
    ctx.arg(2);
    ctx.structure(ts_type, ctx.u(2), false);
    ctx.arg(3);
    ctx.sigset(ctx.u(3), ctx.u(4));
    ctx.arg(4);
    ctx.out().uint_(ctx.u(4));
    return;
  }
  poll_exit(ctx, ts_type, ctx.u(2));
}

// ---- select, pselect6 ----

struct FdSets {
  int nfds = 0;          // the bound strace scans, 0..2^20
  std::size_t size = 0;  // bytes of one set, rounded up to the tracee's long
};

FdSets fd_sets(const DecodeCtx& ctx) {
  FdSets s;
  std::int64_t n = static_cast<std::int32_t>(ctx.u(0));
  s.nfds = static_cast<int>(std::clamp<std::int64_t>(n, 0, kMaxSelectFds));
  std::size_t ws = static_cast<std::size_t>(ctx.word_size());
  s.size = ((static_cast<std::size_t>(s.nfds) + 7) / 8 + ws - 1) & ~(ws - 1);
  return s;
}

// Calls fn(fd) for each descriptor below nfds set in `bits`; stops when fn returns false.
template <typename Fn>
void each_set(const std::vector<unsigned char>& bits, int nfds, Fn&& fn) {
  for (int j = 0; j < nfds; ++j) {
    unsigned char byte = bits[static_cast<std::size_t>(j) / 8];
    if (byte == 0) {
      j |= 7;
      continue;
    }
    if ((byte >> (j % 8)) & 1) {
      if (!fn(j)) return;
    }
  }
}

void select_common(DecodeCtx& ctx, std::string_view ts_type, bool pselect) {
  FdSets sets = fd_sets(ctx);
  std::vector<unsigned char> bits(sets.size);
  static constexpr std::string_view kSetNames[] = {"in", "out", "except"};
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.out().int_(static_cast<std::int32_t>(ctx.u(0)));
    for (int i = 0; i < 3; ++i) {
      std::uint64_t addr = ctx.u(i + 1);
      ctx.arg(i + 1);
      if (sets.size == 0 || addr == 0 || !ctx.read(addr, bits.data(), bits.size())) {
        ctx.out().ptr(addr);
        continue;
      }
      ctx.out().begin_set();
      each_set(bits, sets.nfds, [&](int fd) {
        ctx.fd(fd);
        return true;
      });
      ctx.out().end_set();
    }
    ctx.arg(4);
    ctx.structure(ts_type, ctx.u(4), false);
    if (pselect) {
      // The sixth argument points to {const sigset_t *ss; size_t ss_len;}.
      ctx.arg(5);
      sigset_with_size(ctx, ctx.u(5));
    }
    ctx.syscall().more_at_exit = false;
    return;
  }
  if (ctx.failed()) return;
  TokenList& aux = ctx.syscall().ret_aux;
  if (ctx.ret() == 0) {
    aux.raw("Timeout");
    return;
  }
  // strace's result string: "in [3 4], out [4], left {...}", with its quirks: fds stop being
  // added near the end of the buffer, and every scanned set after the first output adds "]".
  std::int64_t ready = ctx.ret();
  std::string text;
  std::string_view sep;
  for (int i = 0; i < 3 && ready > 0; ++i) {
    std::uint64_t addr = ctx.u(i + 1);
    if (addr == 0 || sets.size == 0 || !ctx.read(addr, bits.data(), bits.size())) continue;
    bool first = true;
    each_set(bits, sets.nfds, [&](int fd) {
      if (text.size() < kOutstr - (11 + 12 + 2)) {
        if (first) {
          text += fmt::format("{}{} [{}", sep, kSetNames[i], fd);
          first = false;
          sep = ", ";
        } else {
          text += fmt::format(" {}", fd);
        }
      }
      return --ready != 0;
    });
    if (!text.empty()) text += ']';
  }
  if (ctx.u(4) != 0) left_time(ctx, ts_type, ctx.u(4), text, sep, false);
  aux.raw(text);
}

// ---- epoll ----

void print_epoll_event(TokenList& o, const unsigned char* p, std::size_t size) {
  std::uint32_t events = 0;
  std::uint64_t data = 0;
  std::memcpy(&events, p, 4);
  // Packed on x86_64 and naturally 4-aligned on i386 (12 bytes); aligned to 8 elsewhere.
  std::memcpy(&data, p + (size == 12 ? 4 : 8), 8);
  o.begin_struct();
  o.field("events");
  xflags(o, "epoll_events", events);
  o.field("data");
  o.begin_struct();
  o.field("u32");
  o.uint_(static_cast<std::uint32_t>(data));
  o.field("u64");
  o.uint_(data);
  o.end_struct();
  o.end_struct();
}

void epoll_wait_common(DecodeCtx& ctx, int kind) {
  if (ctx.entering()) {
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    ctx.syscall().more_at_exit = true;
    return;
  }
  ctx.arg(1);
  if (ctx.failed()) {
    ctx.out().ptr(ctx.u(1));
  } else {
    std::size_t size = struct_layouts(ctx.arch()).epoll_event_size;
    array(ctx, ctx.u(1), static_cast<std::uint64_t>(ctx.ret()), size,
          [&](const unsigned char* p) { print_epoll_event(ctx.out(), p, size); });
  }
  ctx.arg(2);
  ctx.out().int_(static_cast<std::int32_t>(ctx.u(2)));
  ctx.arg(3);
  // strace prints the timeout and the mask at exit, so a failed call shows their addresses.
  if (kind == 2) {
    ctx.structure("timespec64", ctx.u(3), true);
  } else {
    ctx.out().int_(static_cast<std::int32_t>(ctx.u(3)));
  }
  if (kind == 0) return;
  ctx.arg(4);
  if (ctx.failed()) {
    ctx.out().ptr(ctx.u(4));
  } else {
    ctx.sigset(ctx.u(4), ctx.u(5));
  }
  ctx.arg(5);
  ctx.out().uint_(ctx.u(5));
}

}  // namespace

void decode_poll(DecodeCtx& ctx) {
  if (ctx.entering()) {
    poll_entry(ctx);
    ctx.arg(2);
    ctx.out().int_(static_cast<std::int32_t>(ctx.u(2)));
    return;
  }
  poll_exit(ctx, {}, 0);
}

void decode_ppoll(DecodeCtx& ctx) { decode_ppoll_common(ctx, "timespec"); }
void decode_ppoll_time64(DecodeCtx& ctx) { decode_ppoll_common(ctx, "timespec64"); }
void decode_select(DecodeCtx& ctx) { select_common(ctx, "timeval", false); }
void decode_pselect6(DecodeCtx& ctx) { select_common(ctx, "timespec", true); }
void decode_pselect6_time64(DecodeCtx& ctx) { select_common(ctx, "timespec64", true); }
void decode_epoll_wait(DecodeCtx& ctx) { epoll_wait_common(ctx, 0); }
void decode_epoll_pwait(DecodeCtx& ctx) { epoll_wait_common(ctx, 1); }
void decode_epoll_pwait2(DecodeCtx& ctx) { epoll_wait_common(ctx, 2); }

void decode_epoll_ctl(DecodeCtx& ctx) {
  if (!ctx.entering()) return;
  auto op = static_cast<std::uint32_t>(ctx.u(1));
  ctx.arg(0);
  ctx.fd(ctx.s(0));
  ctx.arg(1);
  xval(ctx.out(), "epoll_op", op);
  ctx.arg(2);
  ctx.fd(ctx.s(2));
  ctx.arg(3);
  std::uint64_t addr = ctx.u(3);
  unsigned char ev[16];
  std::size_t size = struct_layouts(ctx.arch()).epoll_event_size;
  constexpr std::uint32_t kCtlDel = 2;  // EPOLL_CTL_DEL ignores the event
  if (op == kCtlDel || addr == 0 || !ctx.read(addr, ev, size)) {
    ctx.out().ptr(addr);
  } else {
    print_epoll_event(ctx.out(), ev, size);
  }
}

}  // namespace ptk::sys::desc
