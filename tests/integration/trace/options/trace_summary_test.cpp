// `ptk trace -c` with strace's -S, -U, -O and -w on a tracee whose calls are known
// (tracees/summary_calls.c): exact call and error counts, the table laid out as strace 6.1
// lays it out (compared with strace's own output where strace is installed: the columns that
// hold no time are identical byte for byte), and system time told apart from wall time.
#include <regex>
#include <sstream>

#include "calls/calls_util.h"

namespace ptk_test {
namespace {

constexpr const char* kStrace = "/usr/bin/strace";

// The -c table a tracer prints on stderr for the summary_calls tracee, with `options`.
CommandResult summary_of(const char* tracer, int bits, const std::vector<std::string>& options) {
  // setarch -R: the same layout in every run. ld.so trims each library's mapping to its
  // segments' alignment (64 KiB for arm64's libc) with munmaps whose number follows where the
  // mapping landed, so under ASLR two runs can count different munmaps.
  std::vector<std::string> argv = {"/usr/bin/setarch", "-R", tracer};
  if (std::string_view(tracer) == PTK_CLI) argv.push_back("trace");
  argv.push_back("-c");
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back("--");
  argv.push_back(tracee_path("summary_calls", bits));
  CommandResult r = run_command(argv);
  // strace's "[ Process PID=N runs in 32 bit mode. ]" (which ptk trace does not print) is no
  // part of the table.
  r.err = std::regex_replace(r.err, std::regex(R"(\[ Process PID=[0-9]+ runs in [^\n]*\n)"), "");
  return r;
}

// The table of the tracee's own ABI: a 32-bit tracee's follows the 64-bit one of its execve,
// after "System call usage summary for 32 bit mode:", as strace prints them.
std::string own_table(const std::string& err) {
  constexpr std::string_view kMode = "System call usage summary for 32 bit mode:\n";
  std::size_t at = err.find(kMode);
  return at == std::string::npos ? err : err.substr(at + kMode.size());
}

// The numbers of a row ("5 getppid" -> {5}), split on blanks, and the line.
struct Row {
  std::vector<std::string> fields;
  std::string name;
  std::string line;
};

bool is_header(const std::string& line) {
  return line.starts_with("syscall") || line.find(" syscall") != std::string::npos;
}

std::map<std::string, Row> rows_of(const std::string& table) {
  std::map<std::string, Row> rows;
  for (const std::string& line : lines_of(table)) {
    if (line.starts_with("-") || line.starts_with("System call") || is_header(line)) continue;
    std::istringstream in(line);
    Row r;
    r.line = line;
    for (std::string w; in >> w;) r.fields.push_back(w);
    if (r.fields.empty()) continue;
    r.name = r.fields.back();
    r.fields.pop_back();
    rows[r.name] = r;
  }
  return rows;
}

// Seconds in the first field of the row `name`, or -1.
double seconds_of(const std::map<std::string, Row>& rows, const std::string& name) {
  auto it = rows.find(name);
  if (it == rows.end() || it->second.fields.empty()) return -1;
  return std::stod(it->second.fields[0]);
}

class TraceSummary : public ptk_test::BitsTest {};

TEST_P(TraceSummary, CallsAndErrorsAreExact) {
  CommandResult r = summary_of(PTK_CLI, GetParam(), {"-S", "calls", "-U", "calls,errors,name"});
  ASSERT_EQ(describe_status(r.status), "exited with 0") << r.err;
  std::string table = own_table(r.err);
  std::vector<std::string> lines = lines_of(table);
  ASSERT_GE(lines.size(), 8U) << r.err;
  EXPECT_EQ(lines[0], "    calls    errors syscall");
  EXPECT_EQ(lines[1], "--------- --------- ----------------");
  auto rows = rows_of(table);
  EXPECT_EQ(rows["getppid"].fields, (std::vector<std::string>{"5"})) << r.err;
  EXPECT_EQ(rows["chdir"].fields, (std::vector<std::string>{"3", "3"})) << r.err;
  EXPECT_EQ(rows["write"].fields, (std::vector<std::string>{"2", "2"})) << r.err;
  EXPECT_EQ(rows["nanosleep"].fields, (std::vector<std::string>{"1"})) << r.err;
  // Sorted by calls: getppid's 5 come before chdir's 3, before write's 2.
  EXPECT_LT(r.err.find(" getppid\n"), r.err.find(" chdir\n")) << r.err;
  EXPECT_LT(r.err.find(" chdir\n"), r.err.find(" write\n")) << r.err;
  // The total adds up.
  std::uint64_t calls = 0, errors = 0;
  for (const auto& [name, row] : rows) {
    if (name == "total") continue;
    calls += std::stoull(row.fields[0]);
    if (row.fields.size() > 1) errors += std::stoull(row.fields[1]);
  }
  ASSERT_EQ(rows["total"].fields.size(), 2U) << r.err;
  EXPECT_EQ(rows["total"].fields[0], std::to_string(calls));
  EXPECT_EQ(rows["total"].fields[1], std::to_string(errors));
}

// strace 6.1 on the same tracee: with columns that hold no time the tables are the same text,
// order included (ties in syscall number order); with time columns, the same header, rules,
// names and counts, and numbers where strace has numbers.
TEST_P(TraceSummary, SameTableAsStrace) {
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  const std::vector<std::vector<std::string>> exact = {
      {"-S", "calls", "-U", "calls,errors,name"},
      {"-S", "name", "-U", "name,calls,errors"},
      {"-S", "errors", "-U", "errors,calls"},
      {"-S", "nothing", "-U", "count,syscall_name,error"},
      {"-S", "count", "-U", "calls"},
  };
  for (const auto& options : exact) {
    CommandResult theirs = summary_of(kStrace, GetParam(), options);
    CommandResult ours = summary_of(PTK_CLI, GetParam(), options);
    ASSERT_EQ(describe_status(ours.status), "exited with 0") << ours.err;
    EXPECT_EQ(ours.err, theirs.err) << fmt::format("{}", fmt::join(options, " "));
  }
  // Time columns: the layout is the same; the numbers differ from run to run.
  const std::vector<std::vector<std::string>> timed = {
      {},
      {"-w"},
      {"-S", "calls", "-U", "min-time,max-time,avg-time,total-time,time-percent,calls,errors"},
      {"-O", "1ms", "-S", "name"},
  };
  auto shape = [](const std::string& table) {
    // Every number becomes N and each run of blanks one blank: what the layout leaves.
    // Leading blanks go too: "100.00" fills the percent column, " 50.00" does not.
    std::string s = std::regex_replace(table, std::regex(R"([0-9]+(\.[0-9]+)?)"), "N");
    s = std::regex_replace(s, std::regex(" +"), " ");
    return std::regex_replace(s, std::regex("(^|\n) "), "$1");
  };
  for (const auto& options : timed) {
    CommandResult theirs = summary_of(kStrace, GetParam(), options);
    CommandResult ours = summary_of(PTK_CLI, GetParam(), options);
    std::vector<std::string> want = lines_of(theirs.err), got = lines_of(ours.err);
    std::string what = fmt::format("{}", fmt::join(options, " "));
    ASSERT_EQ(got.size(), want.size()) << what << "\n" << ours.err << "\nstrace:\n" << theirs.err;
    for (std::size_t i = 0; i < want.size(); ++i) {
      if (want[i].starts_with("-") || is_header(want[i])) {
        EXPECT_EQ(got[i], want[i]) << what;  // headers and rules: byte for byte
      }
    }
    // The same rows, each with numbers where strace has numbers (and blanks where it has
    // none: a zero error count).
    auto a = rows_of(theirs.err), b = rows_of(ours.err);
    ASSERT_EQ(a.size(), b.size()) << what << "\n" << ours.err << "\nstrace:\n" << theirs.err;
    for (const auto& [name, row] : a) {
      ASSERT_TRUE(b.count(name)) << what << ": no " << name << " in\n" << ours.err;
      EXPECT_EQ(shape(b[name].line), shape(row.line)) << what;
    }
    if (options.size() > 1 && options[1] == "name") {
      EXPECT_EQ(shape(ours.err), shape(theirs.err)) << what;  // name order is deterministic
    }
  }
}

// -c counts system time, -w wall time: a 50 ms nanosleep sleeps, so it has at least 50 ms of
// wall time (nanosleep(2) sleeps at least that long) and far less system time.
TEST_P(TraceSummary, SystemTimeIsNotWallTime) {
  const std::vector<std::string> cols = {"-e", "trace=nanosleep", "-U", "total-time,calls"};
  CommandResult sys = summary_of(PTK_CLI, GetParam(), cols);
  std::vector<std::string> wall_opts = cols;
  wall_opts.push_back("-w");
  CommandResult wall = summary_of(PTK_CLI, GetParam(), wall_opts);
  ASSERT_EQ(describe_status(sys.status), "exited with 0") << sys.err;
  ASSERT_EQ(describe_status(wall.status), "exited with 0") << wall.err;
  double s = seconds_of(rows_of(own_table(sys.err)), "nanosleep");
  double w = seconds_of(rows_of(own_table(wall.err)), "nanosleep");
  EXPECT_GE(w, 0.05) << wall.err;
  EXPECT_GE(s, 0.0) << sys.err;
  EXPECT_LT(s, w) << sys.err << wall.err;
  // strace 7.1's wall columns show both in one run.
  CommandResult both = summary_of(PTK_CLI, GetParam(),
                                  {"-e", "trace=nanosleep", "-U", "total-time,wall-total,calls"});
  ASSERT_EQ(describe_status(both.status), "exited with 0") << both.err;
  std::vector<std::string> lines = lines_of(own_table(both.err));
  ASSERT_EQ(lines.size(), 5U) << both.err;
  EXPECT_EQ(lines[0], "    seconds  wall-total     calls syscall");
  auto row = rows_of(own_table(both.err))["nanosleep"].fields;
  ASSERT_EQ(row.size(), 3U) << both.err;
  EXPECT_GE(std::stod(row[1]), 0.05) << both.err;
  EXPECT_LT(std::stod(row[0]), std::stod(row[1])) << both.err;
  EXPECT_EQ(row[2], "1");
}

TEST(TraceSummaryOptions, BadValuesAreOneLineUsageErrors) {
  const std::vector<std::vector<std::string>> cases = {
      {"-c", "-S", "bogus"},
      {"-c", "-U", "calls,bogus"},
      {"-c", "-U", "calls,count"},
      {"-c", "-O", "1x"},
      {"-w"},
      {"-U", "calls"},
  };
  for (const auto& args : cases) {
    std::vector<std::string> argv = {PTK_CLI, "trace"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--", "/bin/true"});
    CommandResult r = run_command(argv);
    std::string what = fmt::format("{}", fmt::join(args, " "));
    EXPECT_EQ(describe_status(r.status), "exited with 2") << what << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << what << ": " << r.err;
    EXPECT_TRUE(r.err.starts_with("ptk")) << r.err;
  }
  // -S without -c: a warning, as strace's, and the trace goes on.
  CommandResult r = run_command({PTK_CLI, "trace", "-S", "calls", "-e", "trace=none", "/bin/true"});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_TRUE(contains(r.err, "-S/--summary-sort-by has no effect without")) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Abis, TraceSummary, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("m{}", info.param); });

}  // namespace
}  // namespace ptk_test
