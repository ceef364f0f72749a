// Helpers shared by the process and signal decoders (see process_util.h).
#include "process_util.h"

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <vector>

#include "ptk/core/wait_status.h"

namespace ptk::sys::pfam {

std::string_view xlat_lookup(std::string_view table, std::uint64_t v) {
  const Xlat* x = find_xlat(table);
  return x != nullptr ? xlat_name(*x, v) : std::string_view();
}

void xval(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown) {
  std::string_view n = xlat_lookup(table, v);
  if (!n.empty()) {
    o.name(n, v, kHexValue);  // raw: as an unknown one, in hex
    return;
  }
  o.hex(v);
  if (!unknown.empty()) o.xlat_note(unknown);
}

void xval_int(TokenList& o, std::string_view table, std::int32_t v, std::string_view unknown) {
  std::uint64_t key = static_cast<std::uint64_t>(static_cast<std::int64_t>(v));
  std::string_view n = xlat_lookup(table, key);
  if (!n.empty()) {
    o.name(n, key, kHexValue);
    return;
  }
  o.hex(static_cast<std::uint32_t>(v));
  if (!unknown.empty()) o.xlat_note(unknown);
}

std::uint64_t xflags_names(TokenList& o, std::string_view table, std::uint64_t v) {
  const Xlat* x = find_xlat(table);
  if (x == nullptr) return v;
  std::uint64_t rest = v;
  for (const XlatEntry& e : x->entries) {
    if (e.value != 0 && (rest & e.value) == e.value) {
      o.name(e.name, e.value);
      rest &= ~e.value;
    }
  }
  return rest;
}

void xflags(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown) {
  o.begin_flags();
  if (v == 0) {
    const Xlat* x = find_xlat(table);
    std::string_view zero;
    if (x != nullptr) {
      for (const XlatEntry& e : x->entries) {
        if (e.value == 0) zero = e.name;
      }
    }
    if (zero.empty()) {
      o.hex(0);
    } else {
      o.name(zero, 0);
    }
    o.end_flags();
    return;
  }
  std::size_t start = o.size();
  std::uint64_t rest = xflags_names(o, table, v);
  bool named = o.size() != start;
  if (rest != 0) o.hex(rest);
  if (!named && !unknown.empty()) o.xlat_note(unknown);
  o.end_flags();
}

void signal_value(TokenList& o, std::int64_t sig) {
  // Names exist for 1..64 (the kernel's _NSIG); anything else is a plain number.
  if (sig > 0 && sig <= 64) {
    o.name(signal_name(static_cast<int>(sig)), static_cast<std::uint64_t>(sig));
  } else {
    o.int_(sig);
  }
}

void clock_ticks(TokenList& o, std::uint64_t ticks) {
  o.uint_(ticks);
  if (ticks == 0) return;
  // USER_HZ is 100 on x86: two decimals of seconds.
  constexpr std::uint64_t kHz = 100;
  o.xlat_note(fmt::format("{}.{:02} s", ticks / kHz, ticks % kHz));
}

void id_value(TokenList& o, std::uint64_t id, int bits) {
  std::uint64_t mask = bits == 16 ? 0xffff : 0xffffffff;
  id &= mask;
  if (id == mask) {
    o.int_(-1);
  } else {
    o.uint_(id);
  }
}

void named_arg(DecodeCtx& ctx, std::string_view name) {
  ctx.arg_named(name);
  ctx.out().field(name);
}

int arg_index(DecodeCtx& ctx, std::string_view name) {
  const SyscallSpec* spec = ctx.syscall().spec;
  if (spec == nullptr) return -1;
  for (int i = 0; i < spec->nargs; ++i) {
    if (spec->args[static_cast<std::size_t>(i)].name == name) return i;
  }
  return -1;
}

bool read_word(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t& v) {
  v = 0;
  return ctx.read(addr, &v, static_cast<std::size_t>(ctx.word_size()));
}

namespace {

template <typename Emit>
void in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool output, std::size_t size, Emit emit) {
  std::uint64_t v = 0;
  if (addr == 0 || (output && ctx.failed()) || !ctx.read(addr, &v, size)) {
    ctx.out().ptr(addr);
    return;
  }
  ctx.out().begin_array();
  emit(v);
  ctx.out().end_array();
}

}  // namespace

void int_in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool output) {
  in_brackets(ctx, addr, output, 4, [&](std::uint64_t v) {
    ctx.out().int_(static_cast<std::int32_t>(static_cast<std::uint32_t>(v)));
  });
}

void fd_in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool output) {
  in_brackets(ctx, addr, output, 4, [&](std::uint64_t v) {
    std::int32_t fd = static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    if (fd < 0) {
      ctx.out().int_(fd);
    } else {
      ctx.fd(fd);
    }
  });
}

void uint_in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool output) {
  in_brackets(ctx, addr, output, 4, [&](std::uint64_t v) { ctx.out().uint_(v); });
}

void ptr_in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool output) {
  in_brackets(ctx, addr, output, static_cast<std::size_t>(ctx.word_size()),
              [&](std::uint64_t v) { ctx.out().ptr(v); });
}

void ulong_in_brackets(DecodeCtx& ctx, std::uint64_t addr, bool output) {
  in_brackets(ctx, addr, output, static_cast<std::size_t>(ctx.word_size()),
              [&](std::uint64_t v) { ctx.out().uint_(v); });
}

void print_array(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t n, std::size_t elem_size,
                 const std::function<void(const unsigned char*)>& print) {
  TokenList& o = ctx.out();
  if (addr == 0) {
    o.ptr(0);
    return;
  }
  if (n == 0) {
    o.begin_array();
    o.end_array();
    return;
  }
  std::array<unsigned char, 64> elem{};
  if (elem_size > elem.size() || n > UINT64_MAX / elem_size || addr + n * elem_size < addr) {
    o.ptr(addr);
    return;
  }
  const DecodeOptions& opts = ctx.options();
  std::uint64_t shown = opts.verbose ? opts.max_array : opts.string_limit;
  for (std::uint64_t i = 0; i < n; ++i) {
    std::uint64_t at = addr + i * elem_size;
    // Each element is fetched before the limit is checked, as strace's print_array does: an
    // unreadable one just past the limit still shows its address.
    if (!ctx.read(at, elem.data(), elem_size)) {
      if (i == 0) {
        o.ptr(addr);
        return;
      }
      o.raw("...");
      o.comment(fmt::format("{:#x}", at));
      break;
    }
    if (i >= shown) {
      o.raw("...");
      break;
    }
    if (i == 0) o.begin_array();
    print(elem.data());
  }
  o.end_array();
}

}  // namespace ptk::sys::pfam
