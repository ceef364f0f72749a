// Helpers the ioctl families share.
#include <algorithm>
#include <cstring>
#include <string>

#include "decoders/file/file_util.h"
#include "ioctl.h"

namespace ptk::sys::ioctl {

std::string_view name_of(std::string_view table, std::uint64_t value) {
  const Xlat* x = find_xlat(table);
  return x != nullptr ? xlat_name(*x, value) : std::string_view();
}

void val(TokenList& o, std::string_view table, std::uint64_t value, std::string_view unknown) {
  std::string_view n = name_of(table, value);
  if (!n.empty()) {
    o.name_hex(n, value);
    return;
  }
  o.hex(value);
  if (!unknown.empty()) o.xlat_note(unknown);
}

void val_d(TokenList& o, std::string_view table, std::int64_t value, std::string_view unknown) {
  std::string_view n = name_of(table, static_cast<std::uint64_t>(value));
  if (!n.empty()) {
    o.name(n, static_cast<std::uint64_t>(value));
    return;
  }
  o.int_(value);
  if (!unknown.empty()) o.xlat_note(unknown);
}

std::string val_text(std::string_view table, std::uint64_t value, std::string_view unknown) {
  std::string_view n = name_of(table, value);
  if (!n.empty()) return std::string(n);
  std::string s = hex_text(value);
  if (!unknown.empty()) {
    s += " /* ";
    s += unknown;
    s += " */";
  }
  return s;
}

void flags(TokenList& o, std::string_view table, std::uint64_t value, std::string_view unknown) {
  const Xlat* x = find_xlat(table);
  o.begin_flags();
  std::uint64_t rest = value;
  bool any = false;
  if (x != nullptr) {
    for (const XlatEntry& e : x->entries) {
      if (e.value == 0 ? value != 0 : (rest & e.value) != e.value) continue;
      o.name(e.name, e.value);
      rest &= ~e.value;
      any = true;
      if (value == 0) break;
    }
  }
  if (rest != 0 || (!any && value == 0)) o.hex(rest);
  o.end_flags();
  if (!any && value != 0 && !unknown.empty()) o.xlat_note(unknown);
}

void cstring(TokenList& o, const char* s, std::size_t size) {
  std::size_t len = 0;
  while (len < size && s[len] != '\0') ++len;
  if (len == size && size > 0) {
    o.str(std::string_view(s, size - 1), kTruncated);
  } else {
    o.str(std::string_view(s, len));
  }
}

void bit_flags(TokenList& o, std::span<const NamedBit> bits, std::uint64_t value,
               std::string_view unknown) {
  o.begin_flags();
  std::uint64_t rest = value;
  bool any = false;
  for (const NamedBit& b : bits) {
    std::uint64_t mask = std::uint64_t{1} << b.bit;
    if ((rest & mask) == 0) continue;
    o.name(b.name, mask);
    rest &= ~mask;
    any = true;
  }
  if (rest != 0 || value == 0) o.hex(rest);
  o.end_flags();
  if (!any && value != 0 && !unknown.empty()) o.xlat_note(unknown);
}

bool fetch(DecodeCtx& ctx, std::uint64_t addr, void* buf, std::size_t len) {
  if (addr == 0) {
    ctx.out().ptr(0);
    return false;
  }
  // -e verbose= without this call: structs stay addresses (strace's umove_or_printaddr).
  if (!ctx.options().dereference || failed_exit(ctx) || !ctx.read(addr, buf, len)) {
    ctx.out().ptr(addr);
    return false;
  }
  return true;
}

void hex_bytes(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len) {
  TokenList& o = ctx.out();
  if (addr == 0) {
    o.ptr(0);
    return;
  }
  // strace reads one byte past -s (to know whether more follow): when that one is unreadable
  // the whole buffer shows as its address.
  std::size_t limit = ctx.options().string_limit;
  auto want = static_cast<std::size_t>(std::min<std::uint64_t>(len, limit + 1));
  std::string bytes(want, '\0');
  if (want != 0 && !ctx.read(addr, bytes.data(), want)) {
    o.ptr(addr);
    return;
  }
  if (bytes.size() > limit) bytes.resize(limit);
  o.raw(ffam::hex_string(bytes, len > limit));
}

int bounded_cstring(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t len) {
  TokenList& o = ctx.out();
  if (addr == 0) {
    o.ptr(0);
    return -1;
  }
  if (len == 0) {
    o.str({});
    return 0;
  }
  // strace reads one byte past -s, to know whether the string ends there.
  std::size_t limit = ctx.options().string_limit;
  auto want = static_cast<std::size_t>(std::min<std::uint64_t>(len, limit + 1));
  auto s = ctx.memory().read_string(RemoteAddr(addr), want);
  if (!s.ok() || (!s->terminated && s->bytes.size() < want)) {
    o.ptr(addr);
    return -1;
  }
  std::size_t shown = std::min(want, limit);
  if (s->terminated && s->bytes.size() <= shown) {
    o.str(s->bytes);
  } else {
    o.str(std::string_view(s->bytes).substr(0, shown), kTruncated);
  }
  return s->terminated ? static_cast<int>(s->bytes.size()) + 1 : 0;
}

}  // namespace ptk::sys::ioctl
