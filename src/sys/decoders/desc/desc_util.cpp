// Building blocks of the desc family.
#include "desc_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace ptk::sys::desc {
namespace {

// The placeholders strace passes for unknown values of this family's tables.
constexpr std::pair<std::string_view, std::string_view> kUnknown[] = {
    {"close_range_flags", "CLOSE_RANGE_???"},
    {"dnotify_flags", "DN_???"},
    {"epoll_create_flags", "EPOLL_???"},
    {"epoll_events", "EPOLL???"},
    {"epoll_op", "EPOLL_CTL_???"},
    {"eventfd_flags", "EFD_???"},
    {"fadvise_advice", "POSIX_FADV_???"},
    {"fallocate_mode", "FALLOC_FL_???"},
    {"fcntl_cmd", "F_???"},
    {"fd_flags", "FD_???"},
    {"flock_op", "LOCK_???"},
    {"inotify_init_flags", "IN_???"},
    {"inotify_mask", "IN_???"},
    {"lock_type", "F_???"},
    {"open_flags", "O_???"},
    {"owner_type", "F_OWNER_???"},
    {"poll_events", "POLL???"},
    {"rwf_flags", "RWF_???"},
    {"seal_flags", "F_SEAL_???"},
    {"splice_flags", "SPLICE_F_???"},
    {"sync_file_range_flags", "SYNC_FILE_RANGE_???"},
    {"tcflsh_options", "TC???"},
    {"tcxonc_options", "TC???"},
    {"term_line_discs", "N_???"},
    {"tiocm_flags", "TIOCM_???"},
    {"whence", "SEEK_???"},
    {"ioctl_dirs", "_IOC_???"},
    {"term_iflags", ""},
    {"term_lflags", ""},
    {"term_oflags", ""},
};

bool is_output(ArgType t) { return t == ArgType::OutBuf || t == ArgType::StructOut; }

int first_output(const SyscallSpec& spec) {
  for (int i = 0; i < spec.nargs; ++i) {
    if (is_output(spec.args[static_cast<std::size_t>(i)].type)) return i;
  }
  return spec.nargs;
}

// A number of `size` bytes at addr, read as strace's printnum_* reads it.
template <typename T>
bool read_num(DecodeCtx& ctx, std::uint64_t addr, T& v) {
  if (addr == 0) {
    ctx.out().ptr(0);
    return false;
  }
  if (failed_exit(ctx) || !ctx.read(addr, v)) {
    ctx.out().ptr(addr);
    return false;
  }
  return true;
}

}  // namespace

std::string_view unknown_of(std::string_view table) {
  for (const auto& [name, note] : kUnknown) {
    if (name == table) return note;
  }
  return {};
}

std::string hex_text(std::uint64_t v) { return v == 0 ? "0" : fmt::format("{:#x}", v); }

void xflags(TokenList& o, std::string_view table, std::uint64_t value) {
  const Xlat* x = find_xlat(table);
  if (x == nullptr) {
    o.hex(value);
    return;
  }
  o.begin_flags();
  if (value == 0) {
    std::string_view zero = xlat_name(*x, 0);
    if (!zero.empty()) o.name(zero, 0);
    o.end_flags();
    return;
  }
  std::uint64_t rest = value;
  bool any = false;
  for (const XlatEntry& e : x->entries) {
    if (e.value == 0 || (rest & e.value) != e.value) continue;
    o.name(e.name, e.value);
    rest &= ~e.value;
    any = true;
  }
  if (rest != 0) o.hex(rest);
  o.end_flags();
  std::string_view note = unknown_of(table);
  if (!any && !note.empty()) o.xlat_note(note);
}

void xval(TokenList& o, std::string_view table, std::uint64_t value) {
  const Xlat* x = find_xlat(table);
  std::string_view n = x != nullptr ? xlat_name(*x, value) : std::string_view();
  if (!n.empty()) {
    o.name(n, value, kHexValue);  // raw: as an unknown one, in hex
    return;
  }
  o.hex(value);
  std::string_view note = unknown_of(table);
  if (!note.empty()) o.xlat_note(note);
}

std::string flags_text(std::string_view table, std::uint64_t value) {
  const Xlat* x = find_xlat(table);
  std::string s;
  std::uint64_t rest = value;
  if (x != nullptr) {
    for (const XlatEntry& e : x->entries) {
      if (e.value == 0 || (rest & e.value) != e.value) continue;
      if (!s.empty()) s += '|';
      s += e.name;
      rest &= ~e.value;
    }
  }
  if (rest != 0 || s.empty()) {
    if (!s.empty()) s += '|';
    s += hex_text(rest);
  }
  return s;
}

void open_modes(TokenList& o, std::uint64_t flags) {
  o.begin_flags();
  const Xlat* modes = find_xlat("open_access_modes");
  std::string_view mode = modes != nullptr ? xlat_name(*modes, flags & 3) : std::string_view();
  if (mode.empty()) {
    o.hex(flags);
    o.end_flags();
    return;
  }
  o.name(mode, flags & 3);
  std::uint64_t rest = flags & ~std::uint64_t{3};
  if (const Xlat* x = find_xlat("open_flags")) {
    for (const XlatEntry& e : x->entries) {
      if (e.value == 0 || (rest & e.value) != e.value) continue;
      o.name(e.name, e.value);
      rest &= ~e.value;
    }
  }
  if (rest != 0) o.hex(rest);
  o.end_flags();
}

void arg_value(DecodeCtx& ctx, int i) {
  const SyscallSpec& spec = *ctx.syscall().spec;
  const ArgSpec& a = spec.args[static_cast<std::size_t>(i)];
  bool pair = i + 1 < spec.nargs && is_high_half(spec, static_cast<std::size_t>(i + 1));
  // Every flag and value argument of this family is a C int: the upper half of an x86_64
  // register is not the caller's.
  std::uint64_t v = pair ? ctx.u64_pair(i) : static_cast<std::uint32_t>(ctx.u(i));
  switch (a.type) {
    case ArgType::Flags:
      xflags(ctx.out(), a.param, v);
      break;
    case ArgType::Enum:
      xval(ctx.out(), a.param, v);
      break;
    default:
      ctx.generic(i);
      break;
  }
}

void generic_x(DecodeCtx& ctx) {
  const SyscallSpec& spec = *ctx.syscall().spec;
  int split = first_output(spec);
  int from = ctx.entering() ? 0 : split;
  int to = ctx.entering() ? split : spec.nargs;
  for (int i = from; i < to; ++i) {
    if (is_high_half(spec, static_cast<std::size_t>(i))) continue;
    ctx.arg(i);
    arg_value(ctx, i);
  }
  if (ctx.entering()) ctx.syscall().more_at_exit = split > 0 && split < spec.nargs;
}

void sigset_with_size(DecodeCtx& ctx, std::uint64_t addr) {
  TokenList& o = ctx.out();
  std::size_t ws = static_cast<std::size_t>(ctx.word_size());
  unsigned char raw[16];
  if (addr == 0 || !ctx.read(addr, raw, 2 * ws)) {
    o.ptr(addr);
    return;
  }
  std::uint64_t words[2] = {};
  std::memcpy(&words[0], raw, ws);
  std::memcpy(&words[1], raw + ws, ws);
  o.begin_struct();
  o.field("sigmask");
  ctx.sigset(words[0], words[1]);
  o.field("sigsetsize");
  o.uint_(words[1]);
  o.end_struct();
}

void iov(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t count, std::uint64_t data_size,
         bool contents) {
  const std::size_t ws = static_cast<std::size_t>(ctx.word_size());
  array(ctx, addr, count, 2 * ws, [&](const unsigned char* p) {
    std::uint64_t base = 0;
    std::uint64_t len = 0;
    std::memcpy(&base, p, ws);
    std::memcpy(&len, p + ws, ws);
    std::uint64_t shown = std::min(len, data_size);
    if (data_size != ~std::uint64_t{0}) data_size -= shown;
    TokenList& o = ctx.out();
    o.begin_struct();
    o.field("iov_base");
    if (contents) {
      ctx.buffer(base, shown);
    } else {
      o.ptr(base);
    }
    o.field("iov_len");
    o.uint_(len);
    o.end_struct();
  });
}

bool num_int(DecodeCtx& ctx, std::uint64_t addr) {
  std::int32_t v = 0;
  if (!read_num(ctx, addr, v)) return false;
  ctx.out().begin_array();
  ctx.out().int_(v);
  ctx.out().end_array();
  return true;
}

bool num_uint(DecodeCtx& ctx, std::uint64_t addr) {
  std::uint32_t v = 0;
  if (!read_num(ctx, addr, v)) return false;
  ctx.out().begin_array();
  ctx.out().uint_(v);
  ctx.out().end_array();
  return true;
}

bool num_ulong(DecodeCtx& ctx, std::uint64_t addr) {
  return ctx.word_size() == 4 ? num_uint(ctx, addr) : num_uint64(ctx, addr);
}

bool num_int64(DecodeCtx& ctx, std::uint64_t addr) {
  std::int64_t v = 0;
  if (!read_num(ctx, addr, v)) return false;
  ctx.out().begin_array();
  ctx.out().int_(v);
  ctx.out().end_array();
  return true;
}

bool num_uint64(DecodeCtx& ctx, std::uint64_t addr) {
  std::uint64_t v = 0;
  if (!read_num(ctx, addr, v)) return false;
  ctx.out().begin_array();
  ctx.out().uint_(v);
  ctx.out().end_array();
  return true;
}

bool num_flags(DecodeCtx& ctx, std::uint64_t addr, std::string_view table) {
  std::uint32_t v = 0;
  if (!read_num(ctx, addr, v)) return false;
  ctx.out().begin_array();
  xflags(ctx.out(), table, v);
  ctx.out().end_array();
  return true;
}

}  // namespace ptk::sys::desc
