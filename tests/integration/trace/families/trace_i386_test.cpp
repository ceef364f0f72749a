// `ptk trace` on the i386-only calls of tests/tracees/i386_calls.c (its 32-bit build):
// socketcall and ipc shown under their sub-calls' names, _llseek, thread areas; checked
// against fixed lines and, where strace is installed, against strace's output.

#include <fmt/ranges.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "test_util.h"

namespace ptk_test {
namespace {

constexpr const char* kStrace = "/usr/bin/strace";

// The tracee's own calls: from the first line starting with `from` to exit_group, with
// addresses and alignment padding masked.
std::vector<std::string> section(const std::vector<std::string>& lines, std::string_view from) {
  // Addresses vary between runs; a value with a /* NAME_??? */ comment is not an address.
  static const std::regex kAddr("0x[0-9a-f]{5,}(?![0-9a-f]| /\\*)");
  static const std::regex kPad(" +=");
  std::vector<std::string> out;
  bool on = false;
  for (const std::string& l : lines) {
    if (!on && l.starts_with(from)) on = true;
    if (!on) continue;
    if (l.starts_with("exit_group(")) break;
    out.push_back(std::regex_replace(std::regex_replace(l, kAddr, "0xADDR"), kPad, " ="));
  }
  return out;
}

std::vector<std::string> trace_with(const std::string& tracer, std::vector<std::string> opts,
                                    const std::string& prog) {
  TempFile out("i386");
  std::vector<std::string> argv = {tracer};
  if (tracer == PTK_CLI) argv.push_back("trace");
  argv.insert(argv.end(), {"-o", out.path()});
  argv.insert(argv.end(), opts.begin(), opts.end());
  argv.insert(argv.end(), {"--", prog});
  CommandResult r = run_command(argv);
  EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
      << tracer << ": " << describe_status(r.status) << "\n"
      << r.err;
  return read_lines(out.path());
}

// SysV IPC calls need the ipc tables (IPC_PRIVATE, IPC_CREAT|0600) that no family has yet;
// the comparison leaves them out and ExpectedLines checks their names and arguments.
bool is_sysv_ipc(const std::string& line) {
  return line.starts_with("sem") || line.starts_with("msg") || line.starts_with("shm");
}

std::string joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const std::string& l : lines) all += l + "\n";
  return all;
}

TEST(TraceI386, ExpectedLines) {
  PTK_REQUIRE_BITS(32);
  std::string prog = tracee_path("i386_calls", 32);
  std::string all = joined(section(trace_with(PTK_CLI, {}, prog), "socket("));
  const std::vector<std::string> expected = {
      "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = 3",
      "setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
      "send(3, \"hi\", 2, MSG_DONTWAIT) = -1 ENOTCONN",
      "recv(3, 0xADDR, 8, MSG_DONTWAIT) = -1 EINVAL",
      "shutdown(3, SHUT_RDWR) = 0",
      "socketcall(SYS_SOCKET, 0x10) = -1 EFAULT",
      "socketcall(99, 0xADDR) = -1 EINVAL",
      "semget(",
      "semctl(",
      "msgget(",
      "shmget(",
      ", 4096, ",
      "shmdt(0x1000) = -1 EINVAL",
      "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x",
      "mmap(0x10) = -1 EFAULT",
      "_llseek(3, 4294967298, [0], ",
      "_llseek(3, 0, 0x10, ",
      "_llseek(-1, 0, 0xADDR, 0x7 /* SEEK_??? */) = -1 EBADF",
      "get_thread_area({entry_number=12, base_addr=0x",
      // (the limit, 0x0fffff, is masked like an address)
      "seg_32bit=1, contents=0, read_exec_only=0, limit_in_pages=1, seg_not_present=0, "
      "useable=1}) = 0",
      "get_thread_area({entry_number=9999, ...}) = -1 EINVAL",
      "get_thread_area(0x10) = -1 EFAULT",
  };
  for (const std::string& e : expected) EXPECT_TRUE(contains(all, e));
}

TEST(TraceI386, MatchesStrace) {
  PTK_REQUIRE_BITS(32);
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  std::string prog = tracee_path("i386_calls", 32);
  for (const std::vector<std::string>& opts : {std::vector<std::string>{}, {"-s", "1"}}) {
    std::vector<std::string> ours, theirs;
    for (const std::string& l : section(trace_with(PTK_CLI, opts, prog), "socket(")) {
      if (!is_sysv_ipc(l)) ours.push_back(l);
    }
    for (const std::string& l : section(trace_with(kStrace, opts, prog), "socket(")) {
      if (!is_sysv_ipc(l)) theirs.push_back(l);
    }
    ASSERT_FALSE(theirs.empty());
    EXPECT_EQ(ours.size(), theirs.size());
    for (std::size_t i = 0; i < std::min(ours.size(), theirs.size()); ++i) {
      EXPECT_EQ(ours[i], theirs[i]) << "options: " << fmt::format("{}", fmt::join(opts, " "));
    }
  }
}

// The 64-bit build makes none of these calls; under ptk it still runs to its end.
TEST(TraceI386, SixtyFourBitBuildRuns) {
  std::vector<std::string> lines = trace_with(PTK_CLI, {}, tracee_path("i386_calls", 64));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "+++ exited with 0 +++");
}

}  // namespace
}  // namespace ptk_test
