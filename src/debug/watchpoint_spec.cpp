// The "[:LEN][:w|rw|x]" tail of a --watch argument.
#include <fmt/format.h>

#include <charconv>

#include "ptk/debug/watchpoints.h"

namespace ptk::debug {

Status parse_watch_suffix(std::string_view suffix, WatchSpec& spec) {
  bool have_len = false;
  bool have_kind = false;
  while (!suffix.empty()) {
    std::size_t colon = suffix.find(':');
    std::string_view part = suffix.substr(0, colon);
    suffix = colon == std::string_view::npos ? std::string_view{} : suffix.substr(colon + 1);
    if (part.empty()) {
      return Error(ErrorKind::InvalidArgument, "watch length and kind", 0,
                   "an empty field; expected [:LEN][:w|rw|x]");
    }
    if (part.front() >= '0' && part.front() <= '9') {
      unsigned len = 0;
      auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), len);
      if (ec != std::errc{} || end != part.data() + part.size() || have_len) {
        return Error(ErrorKind::InvalidArgument, fmt::format("watch length '{}'", part), 0,
                     "expected one length: 1, 2, 4 or 8");
      }
      spec.len = len;
      have_len = true;
      continue;
    }
    if (have_kind) {
      return Error(ErrorKind::InvalidArgument, fmt::format("watch kind '{}'", part), 0,
                   "the kind is given twice");
    }
    PTK_ASSIGN_OR_RETURN(spec.kind, parse_watch_kind(part));
    have_kind = true;
  }
  return ok_status();
}

}  // namespace ptk::debug
