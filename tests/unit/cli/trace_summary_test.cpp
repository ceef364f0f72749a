// `ptk trace -c`'s pure parts: the values of -S, -U and -O as strace 6.1 spells them (and 7.1's
// wall columns), and the table laid out as strace's count.c lays it out. The expected tables
// were checked against strace 6.1's output (same widths, headers, rules, blank error counts).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "trace/summary_table.h"
#include "trace/trace_summary.h"

namespace {

using ptk::Arch;
using ptk::cli::SummaryColumn;
using ptk::cli::SummaryOptions;
using ptk::cli::SummaryTable;

SummaryOptions sorted(std::string_view key, std::string_view columns = {}) {
  SummaryOptions o;
  EXPECT_TRUE(ptk::cli::parse_summary_sort(key, o).ok()) << key;
  if (!columns.empty()) {
    EXPECT_TRUE(ptk::cli::parse_summary_columns(columns, o).ok()) << columns;
  }
  return o;
}

// write: 2 calls of 3 us; openat: 1 failed call of 1 us; getpid: 1 call of 0 (system time).
// Wall times are ten times the system times.
SummaryTable sample(SummaryOptions o) {
  SummaryTable t(std::move(o));
  t.add(Arch::X86_64, 1, "write", false, 3000, 30000);
  t.add(Arch::X86_64, 257, "openat", true, 1000, 10000);
  t.add(Arch::X86_64, 39, "getpid", false, 0, 0);
  t.add(Arch::X86_64, 1, "write", false, 3000, 30000);
  return t;
}

TEST(SummaryOptions, SortKeysAndTheirAliases) {
  struct Case {
    std::string_view text;
    std::optional<SummaryColumn> key;
  };
  const Case cases[] = {
      {"time", SummaryColumn::TimePercent},
      {"time-percent", SummaryColumn::TimePercent},
      {"total-time", SummaryColumn::TotalTime},
      {"time_total", SummaryColumn::TotalTime},
      {"min-time", SummaryColumn::MinTime},
      {"shortest", SummaryColumn::MinTime},
      {"time_min", SummaryColumn::MinTime},
      {"longest", SummaryColumn::MaxTime},
      {"max-time", SummaryColumn::MaxTime},
      {"avg-time", SummaryColumn::AvgTime},
      {"time_avg", SummaryColumn::AvgTime},
      {"calls", SummaryColumn::Calls},
      {"count", SummaryColumn::Calls},
      {"errors", SummaryColumn::Errors},
      {"error", SummaryColumn::Errors},
      {"name", SummaryColumn::Name},
      {"syscall", SummaryColumn::Name},
      {"syscall-name", SummaryColumn::Name},
      {"nothing", std::nullopt},
      {"none", std::nullopt},
      {"wall-total", SummaryColumn::WallTotal},
      {"avg_wall", SummaryColumn::WallAvg},
  };
  for (const Case& c : cases) {
    SummaryOptions o;
    ASSERT_TRUE(ptk::cli::parse_summary_sort(c.text, o).ok()) << c.text;
    EXPECT_EQ(o.sort_by, c.key) << c.text;
    EXPECT_TRUE(o.sort_given);
  }
  SummaryOptions o;
  EXPECT_EQ(o.sort_by, SummaryColumn::TotalTime);  // the default: time
  auto bad = ptk::cli::parse_summary_sort("bogus", o);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.error().message().starts_with("-S bogus; 'bogus' is not a sort key"))
      << bad.error().message();
  EXPECT_FALSE(ptk::cli::parse_summary_sort("Calls", o).ok());  // strace compares exactly
}

TEST(SummaryOptions, ColumnsInOrderWithTheNameAppended) {
  SummaryOptions o;
  EXPECT_EQ(o.columns, (std::vector{SummaryColumn::TimePercent, SummaryColumn::TotalTime,
                                    SummaryColumn::AvgTime, SummaryColumn::Calls,
                                    SummaryColumn::Errors, SummaryColumn::Name}));
  ASSERT_TRUE(ptk::cli::parse_summary_columns("calls,name", o).ok());
  EXPECT_EQ(o.columns, (std::vector{SummaryColumn::Calls, SummaryColumn::Name}));
  ASSERT_TRUE(ptk::cli::parse_summary_columns("count,error", o).ok());
  EXPECT_EQ(o.columns,
            (std::vector{SummaryColumn::Calls, SummaryColumn::Errors, SummaryColumn::Name}));
  ASSERT_TRUE(ptk::cli::parse_summary_columns("syscall,shortest,longest,time_avg", o).ok());
  EXPECT_EQ(o.columns, (std::vector{SummaryColumn::Name, SummaryColumn::MinTime,
                                    SummaryColumn::MaxTime, SummaryColumn::AvgTime}));
  ASSERT_TRUE(ptk::cli::parse_summary_columns("time-total,wall-total", o).ok());
  EXPECT_EQ(o.columns,
            (std::vector{SummaryColumn::TotalTime, SummaryColumn::WallTotal, SummaryColumn::Name}));
  EXPECT_TRUE(o.columns_given);
  // As strace: an unknown or empty item, "none", or one column twice (by any alias).
  for (std::string_view bad :
       {"calls,bogus", "calls,", "", "none", "calls,count", "name,syscall"}) {
    SummaryOptions b;
    auto s = ptk::cli::parse_summary_columns(bad, b);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_TRUE(s.error().message().starts_with(fmt::format("-U {};", bad))) << s.error().message();
    EXPECT_EQ(b.columns.size(), 6U) << "a bad -U leaves the default";
  }
}

TEST(SummaryOptions, OverheadIsATimeSpecification) {
  struct Case {
    std::string_view text;
    std::int64_t ns;
  };
  const Case good[] = {{"5", 5000},      {"5us", 5000}, {"5ms", 5000000}, {"2s", 2000000000},
                       {"7ns", 7},       {"1.5", 1500}, {"1e3ns", 1000},  {"0", 0},
                       {".5ms", 500000}, {"+3", 3000}};
  for (const Case& c : good) {
    SummaryOptions o;
    ASSERT_TRUE(ptk::cli::parse_summary_overhead(c.text, o).ok()) << c.text;
    EXPECT_EQ(o.overhead_ns, c.ns) << c.text;
  }
  // strace 6.1 refuses each of these ("invalid -O argument").
  for (std::string_view bad : {"-1", "0x10", "inf", "nan", "", "5S", "1x", "ms", "1e400"}) {
    SummaryOptions o;
    auto s = ptk::cli::parse_summary_overhead(bad, o);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_TRUE(s.error().message().starts_with(fmt::format("-O {};", bad))) << s.error().message();
  }
}

TEST(SummaryOptions, WithoutASummary) {
  std::string warning;
  SummaryOptions o;
  EXPECT_TRUE(ptk::cli::check_summary_use(o, false, warning).ok());
  EXPECT_TRUE(warning.empty());
  o = sorted("calls");
  EXPECT_TRUE(ptk::cli::check_summary_use(o, false, warning).ok());
  EXPECT_EQ(warning,
            "-S/--summary-sort-by has no effect without (-c/--summary-only or -C/--summary)");
  EXPECT_TRUE(ptk::cli::check_summary_use(o, true, warning).ok());
  EXPECT_TRUE(warning.empty());
  o = sorted("calls", "calls");
  EXPECT_FALSE(ptk::cli::check_summary_use(o, false, warning).ok());
  SummaryOptions w;
  w.wall_clock = true;
  auto s = ptk::cli::check_summary_use(w, false, warning);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message(),
            "-w/--summary-wall-clock; must be given with (-c/--summary-only or -C/--summary)");
}

TEST(SummaryTable, TheDefaultTable) {
  EXPECT_EQ(sample({}).render(),
            "% time     seconds  usecs/call     calls    errors syscall\n"
            "------ ----------- ----------- --------- --------- ----------------\n"
            " 85.71    0.000006           3         2           write\n"
            " 14.29    0.000001           1         1         1 openat\n"
            "  0.00    0.000000           0         1           getpid\n"
            "------ ----------- ----------- --------- --------- ----------------\n"
            "100.00    0.000007           1         4         1 total\n");
}

TEST(SummaryTable, SortOrdersKeepSyscallNumberOrderOnTies) {
  auto names = [](const std::string& table) {
    std::string out;
    std::size_t pos = 0;
    int line = 0;
    while (pos < table.size()) {
      std::size_t end = table.find('\n', pos);
      std::string l = table.substr(pos, end - pos);
      pos = end + 1;
      if (++line <= 2 || l.starts_with("-")) continue;
      out += l.substr(l.rfind(' ') + 1) + " ";
    }
    return out;
  };
  EXPECT_EQ(names(sample(sorted("calls")).render()), "write getpid openat total ");
  EXPECT_EQ(names(sample(sorted("errors")).render()), "openat write getpid total ");
  EXPECT_EQ(names(sample(sorted("name")).render()), "getpid openat write total ");
  EXPECT_EQ(names(sample(sorted("nothing")).render()), "write getpid openat total ");
  EXPECT_EQ(names(sample(sorted("avg-time")).render()), "write openat getpid total ");
  EXPECT_EQ(names(sample(sorted("shortest")).render()), "write openat getpid total ");
  EXPECT_EQ(names(sample(sorted("wall-max")).render()), "write openat getpid total ");
}

TEST(SummaryTable, ChosenColumns) {
  EXPECT_EQ(sample(sorted("calls", "calls,name")).render(),
            "    calls syscall\n"
            "--------- ----------------\n"
            "        2 write\n"
            "        1 getpid\n"
            "        1 openat\n"
            "--------- ----------------\n"
            "        4 total\n");
  // The name not last: padded to its width; errors last: blank but padded.
  EXPECT_EQ(sample(sorted("name", "name,calls,errors")).render(),
            "syscall              calls    errors\n"
            "---------------- --------- ---------\n"
            "getpid                   1          \n"
            "openat                   1         1\n"
            "write                    2          \n"
            "---------------- --------- ---------\n"
            "total                    4         1\n");
  EXPECT_EQ(sample(sorted("time", "min-time,max-time,avg-time,time-percent")).render(),
            "shortest  longest  usecs/call % time syscall\n"
            "-------- -------- ----------- ------ ----------------\n"
            "0.000003 0.000003           3  85.71 write\n"
            "0.000001 0.000001           1  14.29 openat\n"
            "0.000000 0.000000           0   0.00 getpid\n"
            "-------- -------- ----------- ------ ----------------\n"
            "0.000000 0.000003           1 100.00 total\n");
}

TEST(SummaryTable, WallClockAndTheWallColumns) {
  SummaryOptions w = sorted("time", "total-time,calls");
  w.wall_clock = true;  // -w: the time columns measure wall time
  EXPECT_EQ(sample(w).render(),
            "    seconds     calls syscall\n"
            "----------- --------- ----------------\n"
            "   0.000060         2 write\n"
            "   0.000010         1 openat\n"
            "   0.000000         1 getpid\n"
            "----------- --------- ----------------\n"
            "   0.000070         4 total\n");
  // strace 7.1's columns: wall time next to system time, in one run.
  EXPECT_EQ(
      sample(sorted("wall-total", "total-time,wall-total,wall-min,wall-max,wall-avg")).render(),
      "    seconds  wall-total wall-min wall-max    wall-avg syscall\n"
      "----------- ----------- -------- -------- ----------- ----------------\n"
      "   0.000006    0.000060 0.000030 0.000030          30 write\n"
      "   0.000001    0.000010 0.000010 0.000010          10 openat\n"
      "   0.000000    0.000000 0.000000 0.000000           0 getpid\n"
      "----------- ----------- -------- -------- ----------- ----------------\n"
      "   0.000007    0.000070 0.000000 0.000030          17 total\n");
}

TEST(SummaryTable, OverheadComesOffEachCallButNeverBelowZero) {
  SummaryOptions o = sorted("nothing", "total-time,min-time,wall-total");
  ASSERT_TRUE(ptk::cli::parse_summary_overhead("2us", o).ok());
  EXPECT_EQ(sample(o).render(),
            "    seconds shortest  wall-total syscall\n"
            "----------- -------- ----------- ----------------\n"
            "   0.000002 0.000001    0.000056 write\n"
            "   0.000000 0.000000    0.000000 getpid\n"
            "   0.000000 0.000000    0.000008 openat\n"
            "----------- -------- ----------- ----------------\n"
            "   0.000002 0.000000    0.000064 total\n");
}

TEST(SummaryTable, WidthsGrowWithTheValuesAndA32BitTableFollows) {
  SummaryTable t(sorted("calls", "name,calls,total-time,max-time"));
  for (int i = 0; i < 12; ++i) t.add(Arch::X86_64, 204, "sched_getaffinity", false, 0, 0);
  t.add(Arch::X86_64, 35, "nanosleep", false, 12'345'678'000'000, 0);  // 12345.678 s
  t.add(Arch::I386, 20, "getpid", false, 0, 0);
  EXPECT_EQ(t.render(),
            "syscall                calls      seconds      longest\n"
            "------------------ --------- ------------ ------------\n"
            "sched_getaffinity         12     0.000000     0.000000\n"
            "nanosleep                  1 12345.678000 12345.678000\n"
            "------------------ --------- ------------ ------------\n"
            "total                     13 12345.678000 12345.678000\n"
            "System call usage summary for 32 bit mode:\n"
            "syscall              calls     seconds  longest\n"
            "---------------- --------- ----------- --------\n"
            "getpid                   1    0.000000 0.000000\n"
            "---------------- --------- ----------- --------\n"
            "total                    1    0.000000 0.000000\n");
  EXPECT_EQ(SummaryTable({}).render(), "");  // nothing counted: no table, as strace
}

}  // namespace
