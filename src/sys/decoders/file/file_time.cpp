// The time arguments of the calls that set file times: utimensat's timespec pair (with the
// UTIME_NOW and UTIME_OMIT markers), the timeval pair of utimes and futimesat, utime's utimbuf.
#include <fmt/format.h>

#include "file_internal.h"
#include "file_util.h"

namespace ptk::sys::ffam {
namespace {

constexpr std::int64_t kUtimeNow = (1l << 30) - 1;
constexpr std::int64_t kUtimeOmit = (1l << 30) - 2;

// Reads `n` signed words of `word` bytes each.
bool read_words(DecodeCtx& ctx, std::uint64_t addr, int word, std::int64_t* out, int n) {
  unsigned char b[32];
  auto len = static_cast<std::size_t>(word * n);
  if (len > sizeof b || !ctx.read(addr, b, len)) return false;
  for (int i = 0; i < n; ++i) {
    out[i] = word == 8 ? load<std::int64_t>(b + 8 * i) : load<std::int32_t>(b + 4 * i);
  }
  return true;
}

// Two {seconds, fraction} structs: `frac_name` is tv_nsec or tv_usec.
void time_pair(DecodeCtx& ctx, std::uint64_t addr, int word, bool nsec) {
  std::int64_t v[4];
  if (!read_words(ctx, addr, word, v, 4)) {
    ctx.pointer(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_array();
  for (int i = 0; i < 2; ++i) {
    std::int64_t sec = v[2 * i], frac = v[2 * i + 1];
    if (nsec && (frac == kUtimeNow || frac == kUtimeOmit)) {
      // The marker's name, the struct with -X raw, both with -X verbose.
      std::string text = fmt::format("{{tv_sec={}, tv_nsec={}}}", sec, frac);
      std::string_view name = frac == kUtimeNow ? "UTIME_NOW" : "UTIME_OMIT";
      o.styled(text, name, fmt::format("{} /* {} */", text, name));
      continue;
    }
    o.begin_struct();
    o.field("tv_sec");
    o.int_(sec);
    o.field(nsec ? "tv_nsec" : "tv_usec");
    o.uint_(static_cast<std::uint64_t>(frac));  // unsigned, as strace prints it
    o.end_struct();
    time_note(ctx, sec, static_cast<std::uint64_t>(frac), nsec ? 9 : 6);
  }
  o.end_array();
}

}  // namespace

void print_timespec_pair(DecodeCtx& ctx, std::uint64_t addr) {
  time_pair(ctx, addr, ctx.word_size(), true);
}

void print_timespec64_pair(DecodeCtx& ctx, std::uint64_t addr) { time_pair(ctx, addr, 8, true); }

void print_timeval_pair(DecodeCtx& ctx, std::uint64_t addr) {
  time_pair(ctx, addr, ctx.word_size(), false);
}

void print_utimbuf(DecodeCtx& ctx, std::uint64_t addr) {
  std::int64_t v[2];
  if (!read_words(ctx, addr, ctx.word_size(), v, 2)) {
    ctx.pointer(addr);
    return;
  }
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("actime");
  o.int_(v[0]);
  time_note(ctx, v[0], 0, 0);
  o.field("modtime");
  o.int_(v[1]);
  time_note(ctx, v[1], 0, 0);
  o.end_struct();
}

}  // namespace ptk::sys::ffam
