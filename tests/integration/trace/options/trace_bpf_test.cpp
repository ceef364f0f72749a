// `ptk trace --backend=bpf` against `ptk trace` (ptrace) on the same tracees: every thread's
// lines the same, with an unfinished line and its resumption joined (the eBPF backend's
// threads are not stopped, so the lines of two threads may interleave differently), pids
// numbered in order of appearance, addresses masked and the values that change from one run
// to the next (clocks, free space, rusage) masked. Plus what only the eBPF backend does: the
// options that need stops refused with one line, --backend=auto falling back to ptrace.
#include <fmt/ranges.h>

#include <regex>
#include <unordered_map>

#include "ptk/bpf/backend.h"
#include "ptk/core/host.h"
#include "ptk/sys/capture_plan.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/filter.h"
#include "serial_ebpf.h"
#include "test_util.h"
#include "trace/trace_compare_util.h"

namespace ptk_test {
namespace {

// The eBPF backend needs root (CAP_BPF and CAP_PERFMON) and a kernel with BTF; the first
// trace says whether this host allows it.
std::string bpf_unavailable() {
  static const std::string why = [] {
    CommandResult r =
        run_command({PTK_CLI, "trace", "--backend=bpf", "-o", "/dev/null", "--", "/bin/true"});
    if (WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0) return std::string();
    return "the eBPF backend cannot run here: " + r.err;
  }();
  return why;
}

#define PTK_REQUIRE_BPF()                                           \
  if (std::string ptk_why_ = bpf_unavailable(); ptk_why_.empty()) { \
  } else                                                            \
    GTEST_SKIP() << ptk_why_

using Threads = std::vector<std::vector<std::string>>;

std::string masked(std::string l) {
  static const std::pair<std::regex, std::string> kMasks[] = {
      {std::regex("0x[0-9a-f]{5,}"), "0xADDR"},
      {std::regex(" +="), " ="},
      {std::regex("(tv_sec|tv_nsec|tv_usec|f_bfree|f_bavail|f_ffree|freeram|uptime|si_utime|"
                  "si_stime|tms_utime|tms_stime|tms_cutime|tms_cstime)=[0-9]+"),
       "$1=N"},
      {std::regex("f_handle=\"[^\"]*\""), "f_handle=H"},
      {std::regex(" /\\* [0-9.]+ s \\*/"), ""},  // a child's CPU time, as si_utime and si_stime
      {std::regex("^sysinfo\\(\\{.*\\}\\)"), "sysinfo({...})"},  // the machine's counters
      {std::regex("\\) = [0-9]+$"), ") = N"},                    // times(): clock ticks
  };
  for (const auto& [re, with] : kMasks) l = std::regex_replace(l, re, with);
  return l;
}

// The lines of each thread, in order of the threads' first lines, pairs joined.
Threads by_thread(const std::vector<std::string>& lines) {
  static const std::regex kPid("^([0-9]+) +(.*)$");
  static const std::regex kUnfinished("^(.*?) *<unfinished \\.\\.\\.>$");
  static const std::regex kResumed("^<\\.\\.\\. [a-z0-9_]+ resumed>(.*)$");
  // Every pid is numbered before any line is rewritten: a child's pid is in its parent's
  // clone line before the child's own first line.
  std::unordered_map<std::string, std::size_t> order;
  for (const std::string& raw : lines) {
    std::smatch m;
    order.emplace(std::regex_match(raw, m, kPid) ? std::string(m[1]) : "0", order.size());
  }
  std::unordered_map<std::string, std::string> open;
  Threads threads(order.size());
  for (const std::string& raw : lines) {
    std::smatch m;
    std::string pid = "0", text = raw;
    if (std::regex_match(raw, m, kPid)) {
      pid = m[1];
      text = m[2];
    }
    auto it = order.find(pid);
    for (const auto& [p, i] : order) {
      text = std::regex_replace(text, std::regex("\\b" + p + "\\b"), fmt::format("<pid{}>", i));
    }
    if (std::regex_match(text, m, kUnfinished)) {
      open[pid] = m[1];
      continue;
    }
    if (std::regex_match(text, m, kResumed) && open.count(pid) != 0) {
      std::string head = open[pid];
      open.erase(pid);
      std::string tail = m[1];
      text = head + (head.ends_with(",") && !tail.starts_with(" ") ? " " : "") + tail;
    }
    threads[it->second].push_back(masked(text));
  }
  return threads;
}

struct Case {
  const char* name;
  std::vector<std::string> args;  // "{dir}": a fresh scratch directory
};

// The name in ctest's "GetParam() = ..." text, not the struct's raw bytes (pointers among
// them), so that a test's name is the same from build to build.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class TraceBpfVsPtrace : public ::testing::TestWithParam<Case> {};

// Both backends' lines of each thread the same, the first difference reported.
void expect_same_threads(const TraceRun& ptrace_run, const TraceRun& bpf_run) {
  // Some tracees end with a status of their own: the same under either backend.
  EXPECT_EQ(describe_status(bpf_run.result.status), describe_status(ptrace_run.result.status))
      << bpf_run.result.err;
  Threads ptrace_lines = by_thread(ptrace_run.lines);
  Threads bpf_lines = by_thread(bpf_run.lines);
  ASSERT_EQ(bpf_lines.size(), ptrace_lines.size());
  for (std::size_t t = 0; t < ptrace_lines.size(); ++t) {
    ASSERT_GT(ptrace_lines[t].size(), 0u);
    // The first line that differs, rather than two whole traces.
    const auto& want = ptrace_lines[t];
    const auto& got = bpf_lines[t];
    std::size_t i = 0;
    while (i < want.size() && i < got.size() && want[i] == got[i]) ++i;
    EXPECT_TRUE(i == want.size() && i == got.size())
        << "thread " << t << ", line " << i + 1 << " of " << want.size() << "/" << got.size()
        << "\n  ptrace: " << (i < want.size() ? want[i] : "(none)")
        << "\n  bpf:    " << (i < got.size() ? got[i] : "(none)");
  }
}

TEST_P(TraceBpfVsPtrace, SameLinesPerThread) {
  PTK_REQUIRE_BPF();
  const Case& c = GetParam();
  PTK_REQUIRE_TRACEE(c.name);
  ScratchDir dir(fmt::format("/tmp/ptk-bpf-{}-{}", ::getpid(), c.name));
  std::vector<std::string> cmd = {tracee_path(c.name, 64)};
  for (const std::string& a : c.args) cmd.push_back(a == "{dir}" ? dir.path() : a);
  TraceRun ptrace_run = trace_run(PTK_CLI, {"-f"}, cmd);
  dir.reset();
  TraceRun bpf_run = trace_run(PTK_CLI, {"-f", "--backend=bpf"}, cmd);
  expect_same_threads(ptrace_run, bpf_run);
}

INSTANTIATE_TEST_SUITE_P(Tracees, TraceBpfVsPtrace,
                         ::testing::Values(Case{"file_ops", {"{dir}"}}, Case{"desc_calls", {}},
                                           Case{"network_calls", {}}, Case{"memory_ops", {}},
                                           Case{"thread_pool", {}}, Case{"exec_thread", {}},
                                           Case{"signals", {}}, Case{"signal_calls", {}},
                                           Case{"process_calls", {}}),
                         [](const auto& info) { return std::string(info.param.name); });

// Traces of a few syscalls, the same under both backends: the eBPF backend hooks their kernel
// functions where the kernel has kprobes and uses the raw syscall tracepoints elsewhere.
// sigchld_in_wait's SIGCHLD is sent while its parent sleeps in wait4, which the first filter
// traces (the signal is shown after wait4's line) and the second does not (shown at once).
void expect_filtered_traces_like_ptrace() {
  for (const char* filter : {"trace=getpid,wait4", "trace=getpid"}) {
    SCOPED_TRACE(filter);
    std::vector<std::string> cmd = {tracee_path("sigchld_in_wait", 64)};
    TraceRun ptrace_run = trace_run(PTK_CLI, {"-f", "-e", filter}, cmd);
    TraceRun bpf_run = trace_run(PTK_CLI, {"-f", "--backend=bpf", "-e", filter}, cmd);
    expect_same_threads(ptrace_run, bpf_run);
    EXPECT_EQ(std::count_if(bpf_run.lines.begin(), bpf_run.lines.end(),
                            [](const std::string& l) { return l.find("--- SIGCHLD ") != l.npos; }),
              1)
        << fmt::format("{}", fmt::join(bpf_run.lines, "\n"));
  }
  ScratchDir dir(fmt::format("/tmp/ptk-bpf-filtered-{}", ::getpid()));
  std::vector<std::string> cmd = {tracee_path("file_ops", 64), dir.path()};
  std::vector<std::string> filter = {"-e", "trace=openat,read,close"};
  TraceRun ptrace_run = trace_run(PTK_CLI, filter, cmd);
  dir.reset();
  filter.push_back("--backend=bpf");
  expect_same_threads(ptrace_run, trace_run(PTK_CLI, filter, cmd));
}

TEST(TraceBpf, FilteredTracesAreThePtraceBackends) {
  PTK_REQUIRE_BPF();
  expect_filtered_traces_like_ptrace();
}

// Where the kernel has kprobes, a filtered trace hooks only its syscalls' functions, and says
// the same. It runs in the VM lane on a host without kprobes, one eBPF test at a time there
// (SerialEbpfTest says why).
TEST(TraceBpf, FilteredTracesHookOnlyTheirSyscalls) {
  PTK_REQUIRE_BPF();
  PTK_REQUIRE_HOST(ptk::HostCapability::Kprobes);
  ptk_test::SerialEbpfTest serial;
  {
    auto filter = ptk::sys::SyscallFilter::parse("getpid,wait4");
    ASSERT_TRUE(filter.ok()) << filter.error().message();
    auto plans = ptk::sys::CapturePlans::build(*filter, ptk::sys::DecodeOptions{});
    ptk::bpf::BackendOptions options;
    options.plans = plans.table();
    options.function_hooks = true;
    auto backend = ptk::bpf::Backend::open(options);
    ASSERT_TRUE(backend.ok()) << backend.error().message();
    EXPECT_TRUE((*backend)->uses_function_hooks());
  }
  expect_filtered_traces_like_ptrace();
}

TEST(TraceBpf, OptionsThatNeedStopsAreRefusedWithOneLine) {
  PTK_REQUIRE_BPF();
  for (std::vector<std::string> opts : {std::vector<std::string>{"-e", "inject=getpid:retval=1"},
                                        {"--break", "main"},
                                        {"-k"},
                                        {"-e", "write=1"},
                                        {"-b", "execve"},
                                        {"-y"},
                                        {"-P", "/etc"}}) {
    std::vector<std::string> argv = {PTK_CLI, "trace", "--backend=bpf"};
    argv.insert(argv.end(), opts.begin(), opts.end());
    argv.insert(argv.end(), {"--", "/bin/true"});
    CommandResult r = run_command(argv);
    EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 2) << opts[0];
    EXPECT_NE(r.err.find("--backend=bpf: "), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
}

TEST(TraceBpf, AutoFallsBackToPtraceForOptionsThatNeedStops) {
  PTK_REQUIRE_BPF();
  std::string out = fmt::format("/tmp/ptk-bpf-auto-{}", ::getpid());
  CommandResult r =
      run_command({PTK_CLI, "trace", "--backend=auto", "-o", out, "-e", "trace=getpid", "-e",
                   "inject=getpid:retval=42", "--", tracee_path("getpid_exit", 64)});
  std::vector<std::string> lines = read_lines(out);
  ::unlink(out.c_str());
  ASSERT_FALSE(lines.empty()) << r.err;
  EXPECT_TRUE(std::regex_match(lines[0], std::regex("getpid\\(\\) += 42 \\(INJECTED\\)")))
      << lines[0];
}

TEST(TraceBpf, ExitStatusAndAFailedExecAreStraces) {
  PTK_REQUIRE_BPF();
  CommandResult r = run_command({PTK_CLI, "trace", "--backend=bpf", "-o", "/dev/null", "--",
                                 tracee_path("exit_with", 64), "exit", "7"});
  EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 7) << describe_status(r.status);
  r = run_command({PTK_CLI, "trace", "--backend=bpf", "-o", "/dev/null", "--",
                   tracee_path("exit_with", 64), "signal", "15"});
  EXPECT_TRUE(WIFSIGNALED(r.status) && WTERMSIG(r.status) == SIGTERM) << describe_status(r.status);
  r = run_command({PTK_CLI, "trace", "--backend=bpf", "-o", "/dev/null", "--", "/nonexistent"});
  EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 1) << describe_status(r.status);
  EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace ptk_test
