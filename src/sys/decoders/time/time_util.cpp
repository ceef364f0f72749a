// Shared building blocks of the time, network and i386 families (see time_util.h).
#include "time_util.h"

#include <type_traits>

#include <fmt/format.h>

#include <cstring>
#include <ctime>

namespace ptk::sys::dec {
namespace {

// Tables whose placeholder is not "<prefix of the first name>???".
struct Unknown {
  std::string_view table;
  std::string_view text;
};
constexpr Unknown kUnknowns[] = {
    {"socket_level", "SOL_??"},  // strace's own spelling, two marks
    {"ethernet_protocol", "ETH_P_???"}, {"ipc_call", "IPC_???"},
    {"futex_op", "FUTEX_???"},          {"whence", "SEEK_???"},
    {"futex_wake_op", "FUTEX_OP_???"},  {"futex_wake_cmp", "FUTEX_OP_CMP_???"},
};

template <typename W>
struct Timespec {
  W sec;
  W nsec;
};

template <typename W>
void emit_timespec(TokenList& o, const Timespec<W>& ts, std::string_view frac) {
  o.begin_struct();
  o.field("tv_sec");
  o.int_(static_cast<std::int64_t>(ts.sec));
  o.field(frac);
  // strace shows the fraction unsigned (zero-extended from its width): a negative one is as
  // invalid as one past a second.
  o.uint_(static_cast<std::make_unsigned_t<W>>(ts.nsec));
  o.end_struct();
}

template <typename W>
bool read_pair(DecodeCtx& ctx, std::uint64_t addr, std::string_view frac) {
  Timespec<W> ts{};
  if (!ctx.read(addr, ts)) return false;
  emit_timespec(ctx.out(), ts, frac);
  return true;
}

template <typename W>
bool read_itimer(DecodeCtx& ctx, std::uint64_t addr, std::string_view frac) {
  Timespec<W> ts[2]{};
  if (!ctx.read(addr, ts)) return false;
  TokenList& o = ctx.out();
  o.begin_struct();
  o.field("it_interval");
  emit_timespec(o, ts[0], frac);
  o.field("it_value");
  emit_timespec(o, ts[1], frac);
  o.end_struct();
  return true;
}

bool is_output(ArgType t) { return t == ArgType::OutBuf || t == ArgType::StructOut; }

}  // namespace

std::string unknown_name(std::string_view table) {
  for (const Unknown& u : kUnknowns) {
    if (u.table == table) return std::string(u.text);
  }
  const Xlat* x = find_xlat(table);
  if (x == nullptr || x->entries.empty()) return "???";
  std::string_view first = x->entries[0].name;
  std::size_t us = first.find('_');
  if (us == std::string_view::npos) return "???";
  return fmt::format("{}???", first.substr(0, us + 1));
}

void xval(TokenList& out, std::string_view table, std::uint64_t value) {
  const Xlat* x = find_xlat(table);
  std::string_view n = x != nullptr ? xlat_name(*x, value) : std::string_view();
  if (!n.empty()) {
    out.name(n, value, kHexValue);  // raw: as an unknown one, in hex
    return;
  }
  out.hex(value);
  // A table no family has written yet gets no placeholder: there is no prefix to guess.
  if (x != nullptr) out.xlat_note(unknown_name(table));
}

void xval(DecodeCtx& ctx, std::string_view table, std::uint64_t value) {
  xval(ctx.out(), table, value);
}

void xflags(TokenList& out, std::string_view table, std::uint64_t value) {
  const Xlat* x = find_xlat(table);
  if (x == nullptr) {
    out.hex(value);
    return;
  }
  out.begin_flags();
  std::uint64_t rest = value;
  bool any = false;
  for (const XlatEntry& e : x->entries) {
    if (e.value == 0) {
      if (value == 0) {
        out.name(e.name, 0);
        out.end_flags();
        return;
      }
      continue;
    }
    if ((rest & e.value) == e.value) {
      out.name(e.name, e.value);
      rest &= ~e.value;
      any = true;
    }
  }
  if (rest != 0 || !any) out.hex(rest);
  // strace marks a value that matched nothing at all.
  if (!any && value != 0) out.xlat_note(unknown_name(table));
  out.end_flags();
}

void xflags(DecodeCtx& ctx, std::string_view table, std::uint64_t value) {
  xflags(ctx.out(), table, value);
}

void arg_value(DecodeCtx& ctx, int i) {
  const SyscallSpec& spec = *ctx.syscall().spec;
  const ArgSpec& a = spec.args[static_cast<std::size_t>(i)];
  bool pair = i + 1 < spec.nargs && is_high_half(spec, static_cast<std::size_t>(i + 1));
  switch (a.type) {
    case ArgType::Enum:
      xval(ctx, a.param, static_cast<std::uint32_t>(ctx.u(i)));
      break;
    case ArgType::Flags:
      xflags(ctx, a.param, pair ? ctx.u64_pair(i) : ctx.u(i));
      break;
    default:
      ctx.generic(i);
      break;
  }
}

void generic_commented(DecodeCtx& ctx) {
  const SyscallSpec& spec = *ctx.syscall().spec;
  int split = spec.nargs;
  for (int i = 0; i < spec.nargs; ++i) {
    if (is_output(spec.args[static_cast<std::size_t>(i)].type)) {
      split = i;
      break;
    }
  }
  int from = ctx.entering() ? 0 : split;
  int to = ctx.entering() ? split : spec.nargs;
  for (int i = from; i < to; ++i) {
    if (is_high_half(spec, static_cast<std::size_t>(i))) continue;
    ctx.arg(i);
    arg_value(ctx, i);
  }
  if (ctx.entering()) ctx.syscall().more_at_exit = split < spec.nargs;
}

std::string hex_quoted(std::string_view bytes, bool more) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 4 + 5);
  s += '"';
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    s += "\\x";
    s += kHex[c >> 4];
    s += kHex[c & 15];
  }
  s += '"';
  if (more) s += "...";
  return s;
}

void print_timespec(DecodeCtx& ctx, std::uint64_t addr, bool wide) {
  if (addr == 0) {
    ctx.out().ptr(0);
    return;
  }
  bool ok = wide || ctx.word_size() == 8 ? read_pair<std::int64_t>(ctx, addr, "tv_nsec")
                                         : read_pair<std::int32_t>(ctx, addr, "tv_nsec");
  if (!ok) ctx.out().ptr(addr);
}

void print_timeval(DecodeCtx& ctx, std::uint64_t addr) {
  if (addr == 0) {
    ctx.out().ptr(0);
    return;
  }
  bool ok = ctx.word_size() == 8 ? read_pair<std::int64_t>(ctx, addr, "tv_usec")
                                 : read_pair<std::int32_t>(ctx, addr, "tv_usec");
  if (!ok) ctx.out().ptr(addr);
}

void print_itimerspec(DecodeCtx& ctx, std::uint64_t addr, bool wide) {
  if (addr == 0) {
    ctx.out().ptr(0);
    return;
  }
  bool ok = wide || ctx.word_size() == 8 ? read_itimer<std::int64_t>(ctx, addr, "tv_nsec")
                                         : read_itimer<std::int32_t>(ctx, addr, "tv_nsec");
  if (!ok) ctx.out().ptr(addr);
}

void print_itimerval(DecodeCtx& ctx, std::uint64_t addr) {
  if (addr == 0) {
    ctx.out().ptr(0);
    return;
  }
  bool ok = ctx.word_size() == 8 ? read_itimer<std::int64_t>(ctx, addr, "tv_usec")
                                 : read_itimer<std::int32_t>(ctx, addr, "tv_usec");
  if (!ok) ctx.out().ptr(addr);
}

std::string format_date(std::int64_t t) {
  auto tt = static_cast<std::time_t>(t);
  std::tm tm{};
  if (::localtime_r(&tt, &tm) == nullptr) return {};
  char buf[64];
  std::size_t n = std::strftime(buf, sizeof buf, "%FT%T%z", &tm);
  return std::string(buf, n);
}

bool is_erestart(const DecodeCtx& ctx) {
  if (!ctx.failed()) return false;
  std::int64_t err = -ctx.ret();
  // ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK.
  return err == 512 || err == 513 || err == 514 || err == 516;
}

std::int64_t read_long(const DecodeCtx& ctx, const unsigned char* bytes) {
  if (ctx.word_size() == 4) {
    std::int32_t v;
    std::memcpy(&v, bytes, sizeof v);
    return v;
  }
  std::int64_t v;
  std::memcpy(&v, bytes, sizeof v);
  return v;
}

}  // namespace ptk::sys::dec
