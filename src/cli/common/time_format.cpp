#include "common/time_format.h"

#include <fmt/format.h>
#include <time.h>

#include <iterator>

namespace ptk::cli {

namespace {

// The fraction of a second of `ns` with `digits` digits, after a point; nothing for 0.
void append_fraction(std::string& out, std::int64_t ns, int digits) {
  if (digits <= 0) return;
  std::int64_t frac = ns % 1000000000;
  for (int d = 9; d > digits; --d) frac /= 10;
  fmt::format_to(std::back_inserter(out), ".{:0{}}", frac, digits);
}

}  // namespace

void append_timestamp(std::string& out, std::int64_t realtime_ns, int level, int digits) {
  if (digits < 0) digits = level >= 2 ? 6 : 0;
  auto sec = static_cast<time_t>(realtime_ns / 1000000000);
  if (level >= 3) {
    fmt::format_to(std::back_inserter(out), "{}", sec);
  } else {
    tm t{};
    ::localtime_r(&sec, &t);
    fmt::format_to(std::back_inserter(out), "{:02}:{:02}:{:02}", t.tm_hour, t.tm_min, t.tm_sec);
  }
  append_fraction(out, realtime_ns, digits);
  out += ' ';
}

void append_seconds(std::string& out, std::int64_t ns, int digits, int width) {
  fmt::format_to(std::back_inserter(out), "{:>{}}", ns / 1000000000, width);
  append_fraction(out, ns, digits);
}

void append_duration(std::string& out, std::int64_t ns, int digits) {
  out += " <";
  append_seconds(out, ns, digits);
  out += '>';
}

}  // namespace ptk::cli
