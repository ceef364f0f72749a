#include "ptk/sys/tokens.h"

#include <string>

namespace ptk::sys {

void TokenList::push(Tok kind, std::string_view text, std::uint64_t value, std::uint16_t flags) {
  Token t{kind, flags, static_cast<std::uint32_t>(pool_.size()),
          static_cast<std::uint32_t>(text.size()), value};
  pool_.append(text);
  toks_.push_back(t);
}

void TokenList::name_alt(std::string_view abbrev, std::string_view verbose, std::uint64_t v) {
  std::string text(abbrev);
  text += '\0';
  text += verbose;
  push(Tok::Name, text, v, kHexValue | kXlatAlt);
}

void TokenList::truncate(std::size_t n) {
  if (n >= toks_.size()) return;
  pool_.resize(toks_[n].off);
  toks_.resize(n);
}

void TokenList::styled(std::string_view raw, std::string_view abbrev, std::string_view verbose) {
  // One pool entry: the raw, abbrev and verbose forms; value holds the raw and abbrev lengths.
  Token t{Tok::Raw, kStyled, static_cast<std::uint32_t>(pool_.size()),
          static_cast<std::uint32_t>(raw.size() + abbrev.size() + verbose.size()),
          raw.size() | (static_cast<std::uint64_t>(abbrev.size()) << 32)};
  pool_.append(raw);
  pool_.append(abbrev);
  pool_.append(verbose);
  toks_.push_back(t);
}

std::string_view TokenList::styled_abbrev(const Token& t) const {
  std::string_view all = text(t);
  if (t.kind != Tok::Raw || (t.flags & kStyled) == 0) return all;
  return all.substr(static_cast<std::uint32_t>(t.value), t.value >> 32);
}

std::string_view TokenList::styled_raw(const Token& t) const {
  std::string_view all = text(t);
  if (t.kind != Tok::Raw || (t.flags & kStyled) == 0) return all;
  return all.substr(0, static_cast<std::uint32_t>(t.value));
}

std::string_view TokenList::styled_verbose(const Token& t) const {
  std::string_view all = text(t);
  if (t.kind != Tok::Raw || (t.flags & kStyled) == 0) return {};
  return all.substr(static_cast<std::uint32_t>(t.value) + (t.value >> 32));
}

}  // namespace ptk::sys
