#include "trace_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace ptk::cli {

void SummarySink::syscall_exit(sys::DecodedSyscall& sc) {
  Stats& s = stats_[sc.name()];
  ++s.calls;
  if (sc.is_error) ++s.errors;
  if (sc.exited) s.ns += sc.exit_ns - sc.entry_ns;
}

std::string SummarySink::table() const {
  std::vector<std::pair<std::string, Stats>> rows(stats_.begin(), stats_.end());
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.second.ns != b.second.ns) return a.second.ns > b.second.ns;
    if (a.second.calls != b.second.calls) return a.second.calls > b.second.calls;
    return a.first < b.first;
  });
  Stats total;
  for (const auto& [name, s] : rows) {
    total.calls += s.calls;
    total.errors += s.errors;
    total.ns += s.ns;
  }
  const std::string rule = "------ ----------- ----------- --------- --------- ----------------\n";
  std::string out = "% time     seconds  usecs/call     calls    errors syscall\n" + rule;
  auto row = [&](const std::string& name, const Stats& s) {
    double pct =
        total.ns > 0 ? 100.0 * static_cast<double>(s.ns) / static_cast<double>(total.ns) : 0;
    std::string errors = s.errors ? fmt::format("{:>9}", s.errors) : std::string(9, ' ');
    fmt::format_to(std::back_inserter(out), "{:>6.2f} {:>11.6f} {:>11} {:>9} {} {}\n", pct,
                   static_cast<double>(s.ns) / 1e9,
                   s.calls ? s.ns / 1000 / static_cast<std::int64_t>(s.calls) : 0, s.calls, errors,
                   name);
  };
  for (const auto& [name, s] : rows) row(name, s);
  out += rule;
  row("total", total);
  return out;
}

}  // namespace ptk::cli
