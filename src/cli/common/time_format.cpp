#include "common/time_format.h"

#include <fmt/format.h>
#include <time.h>

#include <iterator>

namespace ptk::cli {

void append_timestamp(std::string& out, std::int64_t realtime_ns, int level) {
  auto sec = static_cast<time_t>(realtime_ns / 1000000000);
  long usec = static_cast<long>((realtime_ns / 1000) % 1000000);
  if (level >= 3) {
    fmt::format_to(std::back_inserter(out), "{}.{:06} ", sec, usec);
    return;
  }
  tm t{};
  ::localtime_r(&sec, &t);
  fmt::format_to(std::back_inserter(out), "{:02}:{:02}:{:02}", t.tm_hour, t.tm_min, t.tm_sec);
  if (level == 2) fmt::format_to(std::back_inserter(out), ".{:06}", usec);
  out += ' ';
}

void append_duration(std::string& out, std::int64_t ns) {
  fmt::format_to(std::back_inserter(out), " <{}.{:06}>", ns / 1000000000, (ns / 1000) % 1000000);
}

}  // namespace ptk::cli
