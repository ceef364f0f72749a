#include "trace/summary_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "ptk/sys/escape.h"

namespace ptk::cli {
namespace {

constexpr std::int64_t kNsPerSec = 1'000'000'000;

double seconds(std::int64_t ns) { return static_cast<double>(ns) / 1e9; }

// strace's ts_div: the mean, rounded to the nearest nanosecond.
std::int64_t mean(std::int64_t total, std::uint64_t n) {
  auto calls = static_cast<std::int64_t>(n);
  return calls == 0 ? 0 : (total + calls / 2) / calls;
}

// The microseconds strace prints for a mean: (uint64_t) (ts_float(mean) * 1e6), truncated.
std::uint64_t usecs(std::int64_t ns) { return static_cast<std::uint64_t>(seconds(ns) * 1e6); }

struct Column {
  std::string_view header;
  std::size_t min_width;  // strace's "historical field sizes", or its header's length
  bool left = false;      // the name: left-aligned, and unpadded when it is the last column
};

Column column_of(SummaryColumn c) {
  switch (c) {
    case SummaryColumn::TimePercent:
      return {"% time", 6};
    case SummaryColumn::TotalTime:
      return {"seconds", 11};
    case SummaryColumn::MinTime:
      return {"shortest", 8};
    case SummaryColumn::MaxTime:
      return {"longest", 7};
    case SummaryColumn::AvgTime:
      return {"usecs/call", 11};
    case SummaryColumn::Calls:
      return {"calls", 9};
    case SummaryColumn::Errors:
      return {"errors", 9};
    case SummaryColumn::Name:
      return {"syscall", 16, true};
    case SummaryColumn::WallTotal:
      return {"wall-total", 11};
    case SummaryColumn::WallMin:
      return {"wall-min", 8};
    case SummaryColumn::WallMax:
      return {"wall-max", 8};
    case SummaryColumn::WallAvg:
      return {"wall-avg", 11};
  }
  return {"?", 1};
}

// Descending by the column's value; Name ascending (strcmp). True when a goes first.
bool before(SummaryColumn key, const SummaryTable::Row& a, const SummaryTable::Row& b) {
  const SummaryTable::Counts &x = a.counts, &y = b.counts;
  switch (key) {
    case SummaryColumn::TimePercent:
    case SummaryColumn::TotalTime:
      return x.time > y.time;
    case SummaryColumn::MinTime:
      return x.min > y.min;
    case SummaryColumn::MaxTime:
      return x.max > y.max;
    case SummaryColumn::AvgTime:
      return mean(x.time, x.calls) > mean(y.time, y.calls);
    case SummaryColumn::Calls:
      return x.calls > y.calls;
    case SummaryColumn::Errors:
      return x.errors > y.errors;
    case SummaryColumn::Name:
      return a.name < b.name;
    case SummaryColumn::WallTotal:
      return x.wall > y.wall;
    case SummaryColumn::WallMin:
      return x.wall_min > y.wall_min;
    case SummaryColumn::WallMax:
      return x.wall_max > y.wall_max;
    case SummaryColumn::WallAvg:
      return mean(x.wall, x.calls) > mean(y.wall, y.calls);
  }
  return false;
}

// The width strace gives "%.6f" of a value, or "%d.000000" of its whole seconds.
std::size_t fixed_width(std::int64_t ns) { return fmt::formatted_size("{:.6f}", seconds(ns)); }
std::size_t whole_width(std::int64_t ns) {
  return fmt::formatted_size("{}.000000", ns / kNsPerSec);
}
std::size_t digits(std::uint64_t n) { return fmt::formatted_size("{}", n); }

}  // namespace

std::vector<SummaryColumn> default_summary_columns() {
  // Built here rather than in the member's initializer: GCC 12 warns (maybe-uninitialized) on
  // an inline initializer list copied into the vector.
  return {SummaryColumn::TimePercent, SummaryColumn::TotalTime, SummaryColumn::AvgTime,
          SummaryColumn::Calls,       SummaryColumn::Errors,    SummaryColumn::Name};
}

void SummaryTable::add(Arch arch, std::int64_t nr, std::string_view name, bool error,
                       std::int64_t time_ns, std::int64_t wall_ns) {
  Row& row = rows_[arch == Arch::I386 ? 1 : 0][nr];
  if (row.name.empty()) row.name = std::string(name);
  Counts& c = row.counts;
  ++c.calls;
  c.errors += error ? 1 : 0;
  // strace's count_syscall: the overhead off each call, and never below zero.
  std::int64_t measured = options_.wall_clock ? wall_ns : time_ns;
  measured = std::max<std::int64_t>(measured - options_.overhead_ns, 0);
  std::int64_t wall = std::max<std::int64_t>(wall_ns - options_.overhead_ns, 0);
  c.time += measured;
  c.min = std::min(c.min, measured);
  c.max = std::max(c.max, measured);
  c.wall += wall;
  c.wall_min = std::min(c.wall_min, wall);
  c.wall_max = std::max(c.wall_max, wall);
}

std::string SummaryTable::render() const {
  std::string out = render_one(rows_[0]);
  if (!rows_[1].empty()) {
    // strace's call_summary: personality 0 unnamed, the others introduced by their name.
    out += "System call usage summary for 32 bit mode:\n";
    out += render_one(rows_[1]);
  }
  return out;
}

std::string SummaryTable::render_one(const std::map<std::int64_t, Row>& by_nr) const {
  if (by_nr.empty()) return {};
  std::vector<const Row*> rows;
  Counts total;
  total.min = INT64_MAX;
  std::int64_t min_max = 0, avg_max = 0, wall_min_max = 0, wall_avg_max = 0;
  std::size_t name_max = 0;
  for (const auto& [nr, row] : by_nr) {
    rows.push_back(&row);
    const Counts& c = row.counts;
    total.calls += c.calls;
    total.errors += c.errors;
    total.time += c.time;
    total.min = std::min(total.min, c.min);
    total.max = std::max(total.max, c.max);
    total.wall += c.wall;
    total.wall_min = std::min(total.wall_min, c.wall_min);
    total.wall_max = std::max(total.wall_max, c.wall_max);
    min_max = std::max(min_max, c.min);
    wall_min_max = std::max(wall_min_max, c.wall_min);
    avg_max = std::max(avg_max, mean(c.time, c.calls));
    wall_avg_max = std::max(wall_avg_max, mean(c.wall, c.calls));
    name_max = std::max(name_max, sys::printable(row.name).size());
  }
  if (options_.sort_by) {
    std::stable_sort(rows.begin(), rows.end(),
                     [key = *options_.sort_by](auto* a, auto* b) { return before(key, *a, *b); });
  }

  const std::vector<SummaryColumn>& columns = options_.columns;
  auto width = [&](SummaryColumn c) -> std::size_t {
    std::size_t w = 0;
    switch (c) {
      case SummaryColumn::TimePercent:
        w = 6;  // "100.00"
        break;
      case SummaryColumn::TotalTime:
        w = fixed_width(total.time);
        break;
      case SummaryColumn::MinTime:
        w = whole_width(min_max);
        break;
      case SummaryColumn::MaxTime:
        w = whole_width(total.max);
        break;
      case SummaryColumn::AvgTime:
        w = digits(usecs(avg_max));
        break;
      case SummaryColumn::Calls:
        w = digits(total.calls);
        break;
      case SummaryColumn::Errors:
        w = digits(total.errors);
        break;
      case SummaryColumn::Name:
        w = name_max + 1;
        break;
      case SummaryColumn::WallTotal:
        w = fixed_width(total.wall);
        break;
      case SummaryColumn::WallMin:
        w = whole_width(wall_min_max);
        break;
      case SummaryColumn::WallMax:
        w = whole_width(total.wall_max);
        break;
      case SummaryColumn::WallAvg:
        w = digits(usecs(wall_avg_max));
        break;
    }
    return std::max(w, column_of(c).min_width);
  };

  std::string out;
  auto it = std::back_inserter(out);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    Column col = column_of(columns[i]);
    if (i != 0) out += ' ';
    if (!col.left) {
      fmt::format_to(it, "{:>{}}", col.header, width(columns[i]));
    } else if (i + 1 == columns.size()) {
      out += col.header;
    } else {
      fmt::format_to(it, "{:<{}}", col.header, width(columns[i]));
    }
  }
  out += '\n';
  std::string rule;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i != 0) rule += ' ';
    rule.append(width(columns[i]), '-');
  }
  rule += '\n';
  out += rule;

  // One line: `percent` as strace computes it; `avg_ns`/`wall_avg_ns` are the means shown.
  auto line = [&](std::string_view name, const Counts& c, double percent, std::int64_t avg_ns,
                  std::int64_t wall_avg_ns) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      SummaryColumn col = columns[i];
      std::size_t w = width(col);
      if (i != 0) out += ' ';
      switch (col) {
        case SummaryColumn::TimePercent:
          fmt::format_to(it, "{:>{}.2f}", percent, w);
          break;
        case SummaryColumn::TotalTime:
          fmt::format_to(it, "{:>{}.6f}", seconds(c.time), w);
          break;
        case SummaryColumn::MinTime:
          fmt::format_to(it, "{:>{}.6f}", seconds(c.min), w);
          break;
        case SummaryColumn::MaxTime:
          fmt::format_to(it, "{:>{}.6f}", seconds(c.max), w);
          break;
        case SummaryColumn::AvgTime:
          fmt::format_to(it, "{:>{}}", usecs(avg_ns), w);
          break;
        case SummaryColumn::Calls:
          fmt::format_to(it, "{:>{}}", c.calls, w);
          break;
        case SummaryColumn::Errors:
          // strace's "%*.0" PRIu64: a precision of 0 prints nothing for 0.
          if (c.errors == 0) {
            out.append(w, ' ');
          } else {
            fmt::format_to(it, "{:>{}}", c.errors, w);
          }
          break;
        case SummaryColumn::Name:
          if (i + 1 == columns.size()) {
            out += name;
          } else {
            fmt::format_to(it, "{:<{}}", name, w);
          }
          break;
        case SummaryColumn::WallTotal:
          fmt::format_to(it, "{:>{}.6f}", seconds(c.wall), w);
          break;
        case SummaryColumn::WallMin:
          fmt::format_to(it, "{:>{}.6f}", seconds(c.wall_min), w);
          break;
        case SummaryColumn::WallMax:
          fmt::format_to(it, "{:>{}.6f}", seconds(c.wall_max), w);
          break;
        case SummaryColumn::WallAvg:
          fmt::format_to(it, "{:>{}}", usecs(wall_avg_ns), w);
          break;
      }
    }
    out += '\n';
  };

  const double cum = seconds(total.time);
  for (const Row* row : rows) {
    const Counts& c = row->counts;
    // As strace: 100 * time / total, but 0 when the time is 0 (the total may be 0 too).
    double percent = 100.0 * seconds(c.time);
    if (percent != 0.0) percent /= cum;
    line(sys::printable(row->name), c, percent, mean(c.time, c.calls), mean(c.wall, c.calls));
  }
  out += rule;
  // The total's mean is the whole time over every call, truncated as strace's is.
  auto total_mean = [&](std::int64_t ns) {
    return total.calls == 0 ? std::int64_t{0}
                            : static_cast<std::int64_t>(static_cast<double>(ns) /
                                                        static_cast<double>(total.calls));
  };
  line("total", total, 100.0, total_mean(total.time), total_mean(total.wall));
  return out;
}

}  // namespace ptk::cli
