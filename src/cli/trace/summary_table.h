// The -c / -C table of `ptk trace`, laid out as strace's count.c lays it out: the columns -U
// chose, each as wide as its header or its widest value, rows in -S order, a rule, the total.
// strace 6.1's columns, plus strace 7.1's wall-clock ones (wall-total, wall-min, wall-max,
// wall-avg), which show wall time whatever -w says. Pure: no tracee needed (unit-tested).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ptk/arch/arch.h"

namespace ptk::cli {

enum class SummaryColumn : std::uint8_t {
  TimePercent,  // "% time": share of the total time
  TotalTime,    // "seconds"
  MinTime,      // "shortest"
  MaxTime,      // "longest"
  AvgTime,      // "usecs/call"
  Calls,        // "calls"
  Errors,       // "errors" (blank when none)
  Name,         // "syscall"
  WallTotal,    // "wall-total" (strace 7.1)
  WallMin,      // "wall-min"
  WallMax,      // "wall-max"
  WallAvg,      // "wall-avg"
};

// strace's default -U: time-percent,total-time,avg-time,calls,errors,name.
std::vector<SummaryColumn> default_summary_columns();

struct SummaryOptions {
  // -w: the time columns show wall-clock time (entry to exit) instead of system time.
  bool wall_clock = false;
  // -S: descending by that column's value (ascending by name for Name); nullopt is -S nothing:
  // syscall number order. Ties keep syscall number order, as strace's (stable) qsort does.
  std::optional<SummaryColumn> sort_by = SummaryColumn::TotalTime;
  // -U: the columns in order; Name is always there (appended when not given).
  std::vector<SummaryColumn> columns = default_summary_columns();
  // -O: subtracted from each call's time (a result below zero counts as zero).
  std::int64_t overhead_ns = 0;
  bool sort_given = false;     // -S was given
  bool columns_given = false;  // -U was given
};

class SummaryTable {
 public:
  explicit SummaryTable(SummaryOptions options) : options_(std::move(options)) {}

  // One finished syscall of `arch`: `nr` orders ties; `time_ns` is its system time (its wall
  // time is used instead with -w), `wall_ns` its wall-clock time, both before the overhead.
  void add(Arch arch, std::int64_t nr, std::string_view name, bool error, std::int64_t time_ns,
           std::int64_t wall_ns);
  bool empty() const { return rows_[0].empty() && rows_[1].empty(); }

  // The table of the 64-bit syscalls, then "System call usage summary for 32 bit mode:" and
  // theirs, as strace prints one table per personality that made syscalls; "" when none did.
  std::string render() const;

  struct Counts {
    std::uint64_t calls = 0;
    std::uint64_t errors = 0;
    std::int64_t time = 0, min = INT64_MAX, max = 0;  // the measured time (system, or -w wall)
    std::int64_t wall = 0, wall_min = INT64_MAX, wall_max = 0;
  };
  struct Row {
    std::string name;
    Counts counts;
  };

 private:
  std::string render_one(const std::map<std::int64_t, Row>& rows) const;

  SummaryOptions options_;
  std::map<std::int64_t, Row> rows_[2];  // per Arch, by syscall number
};

}  // namespace ptk::cli
