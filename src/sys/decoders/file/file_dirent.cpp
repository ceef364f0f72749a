// getdents and getdents64: the directory entries the kernel wrote, as an entry count without
// -v ("0x... /* 12 entries */") and as the array of entries with it.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "file_internal.h"
#include "file_util.h"

namespace ptk::sys::ffam {
namespace {

constexpr std::size_t kNameMax = 256;          // strace prints at most this much of a d_name
constexpr std::size_t kWindow = 64 * 1024;     // bytes of the tracee's buffer read at once
constexpr std::size_t kMaxEntries = 1u << 16;  // entries shown at most, however many there are

// The returned part of the tracee's buffer, read a window at a time: an entry never makes ptk
// read more than the kernel wrote, and a huge buffer is never copied whole.
class DirBuffer {
 public:
  DirBuffer(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len)
      : ctx_(ctx), addr_(addr), len_(len) {}

  // The bytes [off, off + n) of the buffer (within its length), or nullptr when unreadable.
  const unsigned char* at(std::uint64_t off, std::size_t n) {
    if (off >= win_off_ && off + n <= win_off_ + win_.size()) return win_.data() + (off - win_off_);
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(len_ - off, kWindow));
    want = std::max(want, n);
    win_.resize(want);
    if (!ctx_.read(addr_ + off, win_.data(), want)) {
      // The window may run into an unmapped page that the entry itself does not reach.
      win_.resize(n);
      if (n == 0 || !ctx_.read(addr_ + off, win_.data(), n)) {
        win_.clear();
        return nullptr;
      }
    }
    win_off_ = off;
    return win_.data();
  }

 private:
  DecodeCtx& ctx_;
  std::uint64_t addr_;
  std::uint64_t len_;
  std::vector<unsigned char> win_;
  std::uint64_t win_off_ = 0;
};

// One layout of directory entry: where its fields are.
struct DirentLayout {
  std::size_t header;  // offset of d_name: the smallest valid entry
  bool is64;           // linux_dirent64 (d_type before the name) or linux_dirent (d_type last)
  int word;            // bytes of d_ino and d_off
};

void emit_name(TokenList& o, const unsigned char* p, std::size_t n) {
  // Like a path bounded by the record: cut at the NUL, "..." when there is none.
  const auto* begin = reinterpret_cast<const char*>(p);
  const char* nul = std::find(begin, begin + n, '\0');
  o.str(std::string_view(begin, static_cast<std::size_t>(nul - begin)),
        nul == begin + n ? kTruncated : 0);
}

void emit_type(DecodeCtx& ctx, unsigned type) {
  ctx.out().field("d_type");
  xval(ctx, "dirent_types", type);
}

void decode_entries(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len,
                    const DirentLayout& lay) {
  bool verbose = ctx.options().verbose;
  TokenList& o = ctx.out();
  DirBuffer buf(ctx, addr, len);
  if (!verbose) o.ptr(addr);
  std::uint64_t off = 0;     // of the current entry
  std::uint64_t left = len;  // bytes from it to the end of what the kernel returned
  std::size_t count = 0;
  for (;;) {
    if (left < lay.header) {
      if (verbose && left == 0) {
        if (count == 0) o.begin_array();
        ++count;
      } else if (verbose) {
        // Fewer bytes than one entry: strace shows them as a hex string.
        const unsigned char* p = buf.at(off, static_cast<std::size_t>(left));
        if (p == nullptr) {
          o.ptr(addr + off);
        } else {
          std::size_t n =
              std::min<std::size_t>(static_cast<std::size_t>(left), ctx.options().string_limit);
          o.raw(hex_string(std::string_view(reinterpret_cast<const char*>(p), n), n < left));
        }
      }
      break;
    }
    const unsigned char* h = buf.at(off, lay.header);
    if (h == nullptr || (verbose && count >= kMaxEntries)) {
      if (verbose) {
        if (count != 0) {
          o.raw(h == nullptr ? fmt::format("... /* {:#x} */", addr + off) : "...");
        } else {
          o.ptr(addr + off);
        }
      }
      break;
    }
    if (verbose && count == 0) o.begin_array();
    ++count;
    std::uint64_t ino = lay.word == 8 ? load<std::uint64_t>(h) : load<std::uint32_t>(h);
    std::uint64_t doff =
        lay.word == 8 ? load<std::uint64_t>(h + 8) : load<std::uint32_t>(h + lay.word);
    std::size_t reclen = load<std::uint16_t>(h + 2 * lay.word);
    unsigned type64 = lay.is64 ? h[2 * lay.word + 2] : 0;
    if (verbose) {
      o.begin_struct();
      o.field("d_ino");
      o.uint_(ino);
      o.field("d_off");
      o.uint_(doff);
      o.field("d_reclen");
      o.uint_(reclen);
    }
    // A record length that does not fit: the kernel never writes one; strace notes it.
    // Like strace, stop after an entry whose length was wrong.
    std::uint64_t next_left = 0;
    bool more = false;
    if (reclen > left) {
      o.comment(fmt::format("{}{} bytes overflow", verbose ? "" : "d_reclen ", reclen - left));
      reclen = static_cast<std::size_t>(left);
    } else if (reclen < lay.header) {
      o.comment(
          fmt::format("{}{} bytes underflow", verbose ? "" : "d_reclen ", lay.header - reclen));
      reclen = lay.header;
      next_left = left - lay.header;
    } else {
      next_left = left - reclen;
      more = next_left != 0;
    }
    left = next_left;
    bool ok = true;
    if (verbose) {
      std::size_t tail = reclen - lay.header;  // d_name (and d_type for linux_dirent)
      if (lay.is64) {
        emit_type(ctx, type64);
        std::size_t n = std::min(tail, kNameMax);
        if (n != 0) {
          const unsigned char* p = buf.at(off + lay.header, n);
          o.field("d_name");
          if (p != nullptr) {
            emit_name(o, p, n);
          } else {
            o.ptr(addr + off + lay.header);
            ok = false;
          }
        }
      } else if (tail != 0) {
        // linux_dirent: the name, then padding, then d_type in the record's last byte.
        std::size_t n = std::min(tail - 1, kNameMax);
        const unsigned char* p = buf.at(off + lay.header, tail);
        if (n != 0) {
          o.field("d_name");
          if (p != nullptr) {
            emit_name(o, p, n);
          } else {
            o.ptr(addr + off + lay.header);
          }
        }
        o.field("d_type");
        if (p != nullptr) {
          xval(ctx, "dirent_types", p[tail - 1]);
        } else {
          o.ptr(addr + off + lay.header + tail - 1);
          ok = false;
        }
      }
      o.end_struct();
    }
    if (!more) break;
    off += reclen;
    if (!ok) {
      o.raw("...");
      break;
    }
  }
  if (verbose) {
    if (count != 0) o.end_array();
  } else {
    o.comment(fmt::format("{}{} entries", count, left != 0 ? "+" : ""));
  }
}

void decode(DecodeCtx& ctx, const DirentLayout& lay) {
  if (ctx.entering()) {
    ctx.syscall().more_at_exit = true;
    ctx.arg(0);
    ctx.fd(ctx.s(0));
    return;
  }
  ctx.arg(1);
  std::uint64_t addr = ctx.u(1);
  auto count = static_cast<std::uint32_t>(ctx.u(2));
  // A failed call, or a length beyond the buffer (a kernel gone wrong): only the address.
  if (ctx.failed() || static_cast<std::uint64_t>(ctx.ret()) > count) {
    ctx.pointer(addr);
  } else {
    decode_entries(ctx, addr, static_cast<std::uint64_t>(ctx.ret()), lay);
  }
  ctx.arg(2);
  ctx.out().uint_(count);
}

}  // namespace

void decode_getdents64(DecodeCtx& ctx) { decode(ctx, DirentLayout{19, true, 8}); }

void decode_getdents(DecodeCtx& ctx) {
  // linux_dirent: d_ino and d_off are longs (compat_ulong_t on i386), then the 16-bit d_reclen.
  int w = ctx.word_size();
  decode(ctx, DirentLayout{static_cast<std::size_t>(2 * w + 2), false, w});
}

}  // namespace ptk::sys::ffam
