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

}  // namespace ptk::sys
