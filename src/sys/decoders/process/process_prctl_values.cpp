// prctl's values as strace prints them (process_prctl_values.h).
#include "process_prctl_values.h"

#include <fmt/format.h>

#include "process_util.h"

namespace ptk::sys::prctl_values {

// PR_SET_TAGGED_ADDR_CTRL's argument: the enable bit, the MTE check mode, the tag mask.
std::string tagged_addr_text(std::uint64_t v) {
  constexpr std::uint64_t kEnable = 1, kTcfMask = 0x6, kTagMask = 0xffffull << 3;
  static constexpr std::string_view kTcf[] = {"PR_MTE_TCF_NONE", "PR_MTE_TCF_SYNC",
                                              "PR_MTE_TCF_ASYNC", "PR_MTE_TCF_MASK"};
  std::string s = (v & kEnable) ? "PR_TAGGED_ADDR_ENABLE" : "!PR_TAGGED_ADDR_ENABLE";
  s += '|';
  s += kTcf[(v & kTcfMask) >> 1];
  if (v & kTagMask) s += fmt::format("|{:#x}<<PR_MTE_TAG_SHIFT", (v & kTagMask) >> 3);
  std::uint64_t rest = v & ~(kEnable | kTcfMask | kTagMask);
  if (rest != 0) s += fmt::format("|{:#x}", rest);
  return s;
}

std::string hex_text(std::uint64_t v) { return v == 0 ? "0" : fmt::format("{:#x}", v); }

// The names of v's bits joined by '|', the bits no name takes in hex after them; empty when
// no name matches at all (strace prints no names then, not the bare number again).
std::string flag_names(std::string_view table, std::uint64_t v) {
  if (v == 0) return std::string(pfam::xlat_lookup(table, 0));  // PR_SPEC_NOT_AFFECTED
  TokenList names;
  names.begin_flags();
  std::uint64_t rest = pfam::xflags_names(names, table, v);
  std::string text;
  for (std::size_t i = 1; i < names.size(); ++i) {
    if (!text.empty()) text += '|';
    text += names.text(names[i]);
  }
  if (!text.empty() && rest != 0) text += "|" + hex_text(rest);
  return text;
}

// strace's printxval for prctl: the name (-X raw: the number in hex), else the number with
// the unknown placeholder in a comment that -X raw leaves out.
void pr_xval(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown) {
  std::string_view n = pfam::xlat_lookup(table, v);
  if (!n.empty()) {
    o.name_hex(n, v);
    return;
  }
  o.hex(v);
  o.xlat_note(unknown);
}

// strace's printflags for prctl: as pfam::xflags, with an unknown value's placeholder as a
// note -X raw leaves out.
void pr_xflags(TokenList& o, std::string_view table, std::uint64_t v, std::string_view unknown) {
  if (flag_names(table, v).empty()) {
    o.hex(v);
    if (v != 0) o.xlat_note(unknown);
    return;
  }
  pfam::xflags(o, table, v, unknown);
}

// Bits of a return value after " = 0x..": flag names, the rest in hex; nothing when no name
// matches, nor under -X raw.
void ret_flags(DecodeCtx& ctx, std::string_view table) {
  if (ctx.failed() || ctx.ret() == 0) return;
  ctx.syscall().ret_type = RetType::Hex;
  std::string text = flag_names(table, static_cast<std::uint64_t>(ctx.ret()));
  if (!text.empty()) ctx.syscall().ret_aux.raw_note(text);
}

// PR_SVE_SET_VL's and PR_SME_SET_VL's value: the flags by name, then the vector length.
std::string vl_text(std::string_view table, std::uint64_t v) {
  std::uint64_t flags = v & ~0xffffull;
  std::string f = flags != 0 ? flag_names(table, flags) : std::string();
  if (flags != 0 && f.empty()) f = hex_text(flags);
  return f.empty() ? hex_text(v & 0xffff) : f + "|" + hex_text(v & 0xffff);
}

void vl_arg(TokenList& o, std::string_view table, std::uint64_t v) {
  if ((v & ~0xffffull) == 0) {
    o.hex(v);
  } else {
    o.name_hex(vl_text(table, v), v);
  }
}

// A vector length returned: in hex, with its flags when it has any.
void vl_ret(DecodeCtx& ctx, std::string_view table) {
  if (ctx.failed() || ctx.ret() == 0) return;
  ctx.syscall().ret_type = RetType::Hex;
  auto v = static_cast<std::uint64_t>(ctx.ret());
  if ((v & ~0xffffull) != 0) ctx.syscall().ret_aux.raw_note(vl_text(table, v));
}

}  // namespace ptk::sys::prctl_values
