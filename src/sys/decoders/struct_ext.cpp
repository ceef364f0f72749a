// The nonzero tail of an extensible struct (see struct_ext.h).
#include "struct_ext.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "decoders/file/file_util.h"

namespace ptk::sys {

bool struct_ext_tail(DecodeCtx& ctx, std::uint64_t addr, std::uint64_t known, std::uint64_t total) {
  constexpr std::uint64_t kPage = 4096;
  std::uint64_t end = std::min(total, kPage);
  if (end <= known) return false;
  std::string extra(static_cast<std::size_t>(end - known), '\0');
  TokenList& o = ctx.out();
  if (!ctx.read(addr + known, extra.data(), extra.size())) {
    o.raw("???");
    return true;
  }
  if (std::all_of(extra.begin(), extra.end(), [](char c) { return c == 0; })) return false;
  std::size_t shown = std::min(extra.size(), ctx.options().string_limit);
  o.raw(fmt::format(
      "/* bytes {}..{} */ {}", known, end - 1,
      ffam::hex_string(std::string_view(extra).substr(0, shown), shown < extra.size())));
  return true;
}

}  // namespace ptk::sys
