#include "common/time_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <vector>

#include "ptk/sys/escape.h"

namespace ptk::cli {

std::string TimeTable::render(std::string_view what, bool with_errors) const {
  std::vector<std::pair<std::string, Row>> rows(rows_.begin(), rows_.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.second.ns != b.second.ns) return a.second.ns > b.second.ns;
    if (a.second.calls != b.second.calls) return a.second.calls > b.second.calls;
    return a.first < b.first;
  });
  Row total;
  for (const auto& [name, r] : rows) {
    total.calls += r.calls;
    total.errors += r.errors;
    total.ns += r.ns;
  }
  const std::string rule =
      with_errors ? "------ ----------- ----------- --------- --------- ----------------\n"
                  : "------ ----------- ----------- --------- --------------------\n";
  std::string out = fmt::format("% time     seconds  usecs/call     calls{} {}\n",
                                with_errors ? "    errors" : "     ", what) +
                    rule;
  auto row = [&](const std::string& name, const Row& r) {
    double pct =
        total.ns > 0 ? 100.0 * static_cast<double>(r.ns) / static_cast<double>(total.ns) : 0;
    std::string errors;
    if (with_errors) errors = r.errors ? fmt::format(" {:>9}", r.errors) : std::string(10, ' ');
    fmt::format_to(std::back_inserter(out), "{:>6.2f} {:>11.6f} {:>11} {:>9}{} {}\n", pct,
                   static_cast<double>(r.ns) / 1e9,
                   r.calls ? r.ns / 1000 / static_cast<std::int64_t>(r.calls) : 0, r.calls, errors,
                   sys::printable(name));  // a function's name is the traced program's choice
  };
  for (const auto& [name, r] : rows) row(name, r);
  out += rule;
  row("total", total);
  return out;
}

}  // namespace ptk::cli
