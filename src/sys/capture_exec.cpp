// CaptureBuilder: follows a capture plan with Memory reads. The semantics are capture_abi.h's,
// the same the eBPF program implements; where the program cannot know more (a partial read),
// this side does not pretend to either.
#include "ptk/sys/capture_exec.h"

#include <algorithm>
#include <cstring>

#include "ptk/sys/capture_plan.h"
#include "ptk/sys/raw_event.h"

namespace ptk::sys {
namespace {

constexpr std::uint64_t kPage = 4096;
constexpr std::uint32_t kNameMax = 128;  // msg_name: at most a sockaddr_storage

}  // namespace

struct CaptureBuilder::Ctx {
  Memory& mem;
  const SyscallStop& stop;
  bool exit;
  unsigned word;  // pointer and size_t bytes of the ABI: 8, or 4 on i386
  std::byte* base;
  std::size_t used;
  std::uint16_t nchunks = 0;
  bool full = false;

  std::size_t room() const { return PTK_EV_MAX_SIZE - used; }

  // Reserves a chunk of up to `len` bytes at `addr`; null when the record has no room for it
  // (then the record says PTK_SC_CAPTURE_FULL and the chunk is missing).
  std::byte* open(std::uint64_t len) {
    if (sizeof(ptk_ev_chunk) + PTK_CHUNK_PAD(len) > room()) {
      full = true;
      return nullptr;
    }
    return base + used + sizeof(ptk_ev_chunk);
  }
  // Completes the chunk open() reserved with the `len` bytes now written there.
  void close(std::uint64_t addr, std::uint32_t len, std::uint32_t flags) {
    ptk_ev_chunk c{addr, len, flags};
    std::memcpy(base + used, &c, sizeof c);
    std::size_t padded = PTK_CHUNK_PAD(len);
    std::memset(base + used + sizeof c + len, 0, padded - len);
    used += sizeof c + padded;
    ++nchunks;
  }

  // `len` bytes at `addr`, all or nothing; with `page_ok`, when not all can be read, what can
  // be read up to the end of the first page. Returns the bytes copied (in the record).
  const std::byte* buf(std::uint64_t addr, std::uint64_t len, bool page_ok) {
    if (addr == 0 || len == 0) return nullptr;
    std::byte* out = open(len);
    if (out == nullptr) return nullptr;
    auto n = mem.read(RemoteAddr(addr), std::span(out, len));
    std::size_t got = n.ok() ? *n : 0;
    if (got == len) {
      close(addr, static_cast<std::uint32_t>(len), 0);
      return out;
    }
    std::uint64_t first = std::min<std::uint64_t>(len, kPage - addr % kPage);
    if (page_ok && got >= first) {
      close(addr, static_cast<std::uint32_t>(first), PTK_CHUNK_FAULT);
      return out;
    }
    return nullptr;  // no chunk: the address reads as unmapped, as in the eBPF program
  }

  // A NUL-terminated string: at most `max` bytes, the NUL included when within them.
  void cstr(std::uint64_t addr, std::uint32_t max) {
    if (addr == 0 || max == 0) return;
    // Short of room, the string is cut to what fits (as the eBPF program cuts it).
    std::size_t fits =
        room() > sizeof(ptk_ev_chunk) + 8 ? (room() - sizeof(ptk_ev_chunk)) & ~7u : 0;
    if (max > fits) {
      full = true;
      max = static_cast<std::uint32_t>(fits);
      if (max == 0) return;
    }
    std::byte* out = open(max);
    if (out == nullptr) return;
    std::uint64_t got = 0;
    std::uint32_t flags = 0;
    // A page at a time: a string ending just before an unmapped page must not fail because a
    // longer read would cross into it.
    while (got < max) {
      std::uint64_t want = std::min<std::uint64_t>(kPage - (addr + got) % kPage, max - got);
      auto n = mem.read(RemoteAddr(addr + got), std::span(out + got, want));
      std::size_t k = n.ok() ? *n : 0;
      if (const void* nul = std::memchr(out + got, 0, k)) {
        got = static_cast<const std::byte*>(nul) - out + 1;
        break;
      }
      got += k;
      if (k < want) {
        flags = PTK_CHUNK_FAULT;
        break;
      }
    }
    if (got > 0) close(addr, static_cast<std::uint32_t>(got), flags);
  }

  std::uint64_t word_at(const std::byte* p, std::size_t i) const {
    if (word == 4) {
      std::uint32_t v;
      std::memcpy(&v, p + i * 4, 4);
      return v;
    }
    std::uint64_t v;
    std::memcpy(&v, p + i * 8, 8);
    return v;
  }

  // A NULL-terminated pointer array: at most `count_max` pointers and the word after them,
  // stopping at the NULL; then each string unless `ptrs_only`.
  void array(std::uint64_t addr, const ptk_cap_item& item, bool ptrs_only) {
    if (addr == 0) return;
    std::uint64_t words = std::uint64_t{item.count_max} + 1;
    std::byte* out = open(words * word);
    if (out == nullptr) return;
    auto n = mem.read(RemoteAddr(addr), std::span(out, words * word));
    std::size_t have = (n.ok() ? *n : 0) / word;
    std::size_t count = 0;
    bool terminated = false;
    while (count < have) {
      if (word_at(out, count++) == 0) {
        terminated = true;
        break;
      }
    }
    close(addr, static_cast<std::uint32_t>(count * word),
          !terminated && count < words ? PTK_CHUNK_FAULT : 0);
    if (ptrs_only) return;
    std::size_t strings = std::min<std::size_t>(count, item.count_max);
    for (std::size_t i = 0; i < strings; ++i) cstr(word_at(out, i), item.max);
  }

  // `count` struct iovec at `addr` (at most count_max), and each base's first `max` bytes.
  void iovec(std::uint64_t addr, std::uint64_t count, std::uint32_t count_max, std::uint32_t max) {
    count = std::min<std::uint64_t>(count, count_max);
    const std::byte* arr = buf(addr, count * 2 * word, false);
    if (arr == nullptr) return;
    for (std::uint64_t i = 0; i < count; ++i) {
      std::uint64_t len = std::min<std::uint64_t>(word_at(arr, 2 * i + 1), max);
      buf(word_at(arr, 2 * i), len, false);
    }
  }

  // What one struct msghdr (already copied, at `m`) points to.
  void msghdr(const std::byte* m, const ptk_cap_item& item) {
    // Fields by word: name, namelen (u32, padded to a word), iov, iovlen, control, controllen.
    std::uint32_t namelen;
    std::memcpy(&namelen, m + word, 4);
    std::uint64_t name = word_at(m, 0), iov = word_at(m, 2), iovlen = word_at(m, 3);
    std::uint64_t control = word_at(m, 4), controllen = word_at(m, 5);
    buf(name, std::min(namelen, kNameMax), false);
    iovec(iov, iovlen, item.count_max, item.max);
    buf(control, std::min<std::uint64_t>(controllen, item.size), false);
  }
};

CaptureBuilder::CaptureBuilder() : buf_(PTK_EV_MAX_SIZE) {}

void CaptureBuilder::run_item(Ctx& ctx, const ptk_cap_item& item) {
  if (item.arg > 5 && item.arg != PTK_ARG_SP) return;
  std::uint64_t addr = item.arg == PTK_ARG_SP ? ctx.stop.sp : ctx.stop.args[item.arg];
  if (ctx.word == 4) addr &= 0xffffffffu;
  // The item's length (bytes, or elements for the array kinds).
  std::uint64_t len = 0;
  bool known = true;
  switch (item.len_rule) {
    case PTK_LEN_CONST:
      len = item.size;
      break;
    case PTK_LEN_ARG:
      len = (item.len_arg <= 5 ? ctx.stop.args[item.len_arg] : 0) * item.size;
      break;
    case PTK_LEN_RET:
      known = ctx.exit && ctx.stop.ret >= 0;
      if (known) len = static_cast<std::uint64_t>(ctx.stop.ret) * item.size;
      break;
    case PTK_LEN_ARG_U32: {
      std::uint32_t v = 0;
      std::uint64_t at = item.len_arg <= 5 ? ctx.stop.args[item.len_arg] : 0;
      known = at != 0 &&
              ctx.mem.read_exact(RemoteAddr(at), std::as_writable_bytes(std::span(&v, 1))).ok();
      len = std::uint64_t{v} * item.size;
      break;
    }
    default:
      known = false;
  }
  switch (item.kind) {
    case PTK_CAP_CSTR:
      ctx.cstr(addr, item.max);
      break;
    case PTK_CAP_BUF:
      if (known)
        ctx.buf(addr, std::min<std::uint64_t>(len, item.max), item.flags & PTK_CAP_PAGE_OK);
      break;
    case PTK_CAP_STR_ARRAY:
    case PTK_CAP_PTR_ARRAY:
      ctx.array(addr, item, item.kind == PTK_CAP_PTR_ARRAY);
      break;
    case PTK_CAP_IOVEC:
      if (known) ctx.iovec(addr, len, item.count_max, item.max);
      break;
    case PTK_CAP_MSGHDR:
      // 56 bytes, or 28 on i386.
      if (const std::byte* m = ctx.buf(addr, 7 * ctx.word, false)) ctx.msghdr(m, item);
      break;
    case PTK_CAP_MMSGHDR: {
      if (!known) break;
      // struct mmsghdr: a msghdr and an unsigned, padded to a word: 64 bytes, or 32 on i386.
      std::uint64_t count = std::min<std::uint64_t>(len, item.count_max);
      std::uint64_t stride = 8 * ctx.word;
      const std::byte* arr = ctx.buf(addr, count * stride, false);
      if (arr == nullptr) break;
      for (std::uint64_t i = 0; i < count; ++i) ctx.msghdr(arr + i * stride, item);
      break;
    }
    default:
      break;
  }
}

std::span<const std::byte> CaptureBuilder::build(Memory& mem, const ptk_cap_plan* plan,
                                                 const SyscallStop& stop, bool exit, pid_t tid,
                                                 pid_t pid, std::uint64_t time_ns) {
  ptk_ev_syscall sc{};
  sc.h.type = exit ? PTK_EV_SYSCALL_EXIT : PTK_EV_SYSCALL_ENTRY;
  sc.h.abi = abi_of(stop.arch);
  sc.h.tid = static_cast<__u32>(tid);
  sc.h.pid = static_cast<__u32>(pid);
  sc.h.time_ns = time_ns;
  sc.nr = stop.nr;
  std::copy(stop.args.begin(), stop.args.end(), sc.args);
  sc.ret = exit ? stop.ret : 0;
  sc.ip = stop.ip;
  sc.sp = stop.sp;

  Ctx ctx{mem, stop, exit, abi(stop.arch).word_size, buf_.data(), sizeof sc};
  if (plan != nullptr) {
    std::uint8_t when = exit ? PTK_AT_EXIT : PTK_AT_ENTRY;
    std::size_t items = std::min<std::size_t>(plan->nitems, PTK_PLAN_MAX_ITEMS);
    for (std::size_t i = 0; i < items; ++i) {
      if (plan->items[i].when & when) run_item(ctx, plan->items[i]);
    }
  }
  sc.h.size = static_cast<__u32>(ctx.used);
  sc.nchunks = ctx.nchunks;
  sc.flags = ctx.full ? PTK_SC_CAPTURE_FULL : 0;
  std::memcpy(buf_.data(), &sc, sizeof sc);
  return std::span<const std::byte>(buf_.data(), ctx.used);
}

}  // namespace ptk::sys
