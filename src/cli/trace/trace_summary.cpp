#include "trace/trace_summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <utility>

#include "ptk/arch/syscalls.h"

namespace ptk::cli {
namespace {

// strace's column_aliases (src/count.c): one table for -S and -U. nullopt is "nothing".
struct Alias {
  std::string_view name;
  std::optional<SummaryColumn> column;
};
constexpr Alias kAliases[] = {
    {"time", SummaryColumn::TimePercent},
    {"time_percent", SummaryColumn::TimePercent},
    {"time-percent", SummaryColumn::TimePercent},
    {"time_total", SummaryColumn::TotalTime},
    {"time-total", SummaryColumn::TotalTime},
    {"total_time", SummaryColumn::TotalTime},
    {"total-time", SummaryColumn::TotalTime},
    {"min_time", SummaryColumn::MinTime},
    {"min-time", SummaryColumn::MinTime},
    {"shortest", SummaryColumn::MinTime},
    {"time_min", SummaryColumn::MinTime},
    {"time-min", SummaryColumn::MinTime},
    {"longest", SummaryColumn::MaxTime},
    {"max_time", SummaryColumn::MaxTime},
    {"max-time", SummaryColumn::MaxTime},
    {"time_max", SummaryColumn::MaxTime},
    {"time-max", SummaryColumn::MaxTime},
    {"avg_time", SummaryColumn::AvgTime},
    {"avg-time", SummaryColumn::AvgTime},
    {"time_avg", SummaryColumn::AvgTime},
    {"time-avg", SummaryColumn::AvgTime},
    {"calls", SummaryColumn::Calls},
    {"count", SummaryColumn::Calls},
    {"error", SummaryColumn::Errors},
    {"errors", SummaryColumn::Errors},
    {"name", SummaryColumn::Name},
    {"syscall", SummaryColumn::Name},
    {"syscall_name", SummaryColumn::Name},
    {"syscall-name", SummaryColumn::Name},
    // strace 7.1: wall-clock time whatever -w says, so both can be shown in one run.
    {"wall_total", SummaryColumn::WallTotal},
    {"wall-total", SummaryColumn::WallTotal},
    {"total_wall", SummaryColumn::WallTotal},
    {"total-wall", SummaryColumn::WallTotal},
    {"wall_min", SummaryColumn::WallMin},
    {"wall-min", SummaryColumn::WallMin},
    {"min_wall", SummaryColumn::WallMin},
    {"min-wall", SummaryColumn::WallMin},
    {"wall_max", SummaryColumn::WallMax},
    {"wall-max", SummaryColumn::WallMax},
    {"max_wall", SummaryColumn::WallMax},
    {"max-wall", SummaryColumn::WallMax},
    {"wall_avg", SummaryColumn::WallAvg},
    {"wall-avg", SummaryColumn::WallAvg},
    {"avg_wall", SummaryColumn::WallAvg},
    {"avg-wall", SummaryColumn::WallAvg},
    {"none", std::nullopt},
    {"nothing", std::nullopt},
};

const Alias* find_alias(std::string_view name) {
  for (const Alias& a : kAliases) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

constexpr std::string_view kKeys =
    "time, min-time, max-time, avg-time, calls, errors, name, wall-total, wall-min, wall-max, "
    "wall-avg";

Error bad_value(std::string_view option, std::string_view text, std::string hint) {
  return Error(ErrorKind::InvalidArgument, fmt::format("{} {}", option, text), 0, std::move(hint));
}

}  // namespace

Status parse_summary_sort(std::string_view text, SummaryOptions& options) {
  const Alias* a = find_alias(text);
  if (a == nullptr) {
    return bad_value("-S", text, fmt::format("'{}' is not a sort key ({}, nothing)", text, kKeys));
  }
  options.sort_by = a->column;
  options.sort_given = true;
  return ok_status();
}

Status parse_summary_columns(std::string_view text, SummaryOptions& options) {
  std::vector<SummaryColumn> columns;
  std::string_view rest = text;
  for (;;) {
    std::size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    const Alias* a = find_alias(item);
    if (a == nullptr || !a->column) {
      return bad_value("-U", text, fmt::format("'{}' is not a column ({})", item, kKeys));
    }
    if (std::find(columns.begin(), columns.end(), *a->column) != columns.end()) {
      return bad_value("-U", text, fmt::format("the column of '{}' is given twice", item));
    }
    columns.push_back(*a->column);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  // strace: "Always enable syscall name column, as without it table is meaningless".
  if (std::find(columns.begin(), columns.end(), SummaryColumn::Name) == columns.end()) {
    columns.push_back(SummaryColumn::Name);
  }
  options.columns = std::move(columns);
  options.columns_given = true;
  return ok_status();
}

Status parse_summary_overhead(std::string_view text, SummaryOptions& options) {
  auto bad = [&] {
    return bad_value("-O", text,
                     fmt::format("'{}' is not a time: a number with an optional unit s, ms, us "
                                 "or ns (us when none)",
                                 text));
  };
  std::string_view number = text;
  double scale = 1e3;  // microseconds when no unit is given (strace(1), "Time specification")
  for (auto [suffix, s] : {std::pair{"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}}) {
    if (number.ends_with(suffix)) {
      number.remove_suffix(std::string_view(suffix).size());
      scale = s;
      break;
    }
  }
  // strace's parse_ts reads the number with strtod over "eE.-+0123456789" only: no hex, no
  // inf or nan, and rejects a negative value.
  if (number.starts_with('+')) number.remove_prefix(1);
  if (number.empty() || number.find_first_not_of("eE.-+0123456789") != std::string_view::npos) {
    return bad();
  }
  double value = 0;
  auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(value) ||
      value < 0) {
    return bad();
  }
  double ns = value * scale;
  constexpr double kMaxNs = 1e18;  // ~31 years: what an int64 of nanoseconds holds, with room
  if (ns > kMaxNs) return bad();
  options.overhead_ns = static_cast<std::int64_t>(ns);
  return ok_status();
}

Status check_summary_use(const SummaryOptions& options, bool summary, std::string& warning) {
  warning.clear();
  if (summary) return ok_status();
  constexpr std::string_view kWith = "(-c/--summary-only or -C/--summary)";
  if (options.wall_clock) {
    return Error(ErrorKind::InvalidArgument, "-w/--summary-wall-clock", 0,
                 fmt::format("must be given with {}", kWith));
  }
  if (options.columns_given) {
    return Error(ErrorKind::InvalidArgument, "-U/--summary-columns", 0,
                 fmt::format("must be given with {}", kWith));
  }
  if (options.sort_given) {
    warning = fmt::format("-S/--summary-sort-by has no effect without {}", kWith);
  }
  return ok_status();
}

void SummarySink::syscall_exit(sys::DecodedSyscall& sc) {
  if (!sc.exited) return;
  // strace counts only numbers its table has (scno_in_range), under the name it prints: an
  // i386 socketcall/ipc sub-call counts as that call, ordered by that call's number.
  std::string name = sc.name();
  const SyscallSpec* spec = find_syscall(sc.arch, name);
  if (spec == nullptr) spec = sc.spec;
  if (spec == nullptr) return;
  // The system time of the call: the process's stime at the exit stop less that at the entry
  // stop (wait4's rusage, WaitPolicy::want_rusage); 0 when the waits did not ask for it.
  std::int64_t stime = sc.entry_stime_ns >= 0 && sc.exit_stime_ns >= 0
                           ? std::max<std::int64_t>(sc.exit_stime_ns - sc.entry_stime_ns, 0)
                           : 0;
  table_.add(sc.arch, spec->nr, name, sc.is_error, stime, sc.exit_ns - sc.entry_ns);
}

}  // namespace ptk::cli
