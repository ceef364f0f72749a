// `ptk trace` as a user runs it: exit status, output unchanged, hostile tracees, JSON and
// perfetto output checked with jq, attach/detach, and one-line errors for bad input.
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "test_util.h"

namespace ptk_test {
namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/ptk-trace-test.XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { (void)std::system(fmt::format("rm -rf '{}'", path_).c_str()); }
  std::string file(std::string_view name) const { return fmt::format("{}/{}", path_, name); }

 private:
  std::string path_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> ptk_trace(std::vector<std::string> args) {
  args.insert(args.begin(), {PTK_CLI, "trace"});
  return args;
}

// jq's verdict on a file: the exit status of `jq -e FILTER FILE`.
int jq(const std::string& filter, const std::string& file, bool slurp_all = false) {
  std::vector<std::string> argv = {"/usr/bin/jq", "-e"};
  if (slurp_all) argv.push_back("-s");
  argv.insert(argv.end(), {filter, file});
  CommandResult r = run_command(argv);
  if (!WIFEXITED(r.status)) return -1;
  if (WEXITSTATUS(r.status) != 0) ADD_FAILURE() << "jq " << filter << ":\n" << r.err;
  return WEXITSTATUS(r.status);
}

class TraceCli : public ptk_test::BitsTest {};

TEST_P(TraceCli, ExitStatusAndOutputPassThrough) {
  TempDir dir;
  CommandResult r = run_command(
      ptk_trace({"-o", dir.file("t"), "--", tracee_path("exit_with", GetParam()), "exit", "3"}));
  ASSERT_TRUE(WIFEXITED(r.status)) << describe_status(r.status);
  EXPECT_EQ(WEXITSTATUS(r.status), 3);
  EXPECT_TRUE(contains(slurp(dir.file("t")), "+++ exited with 3 +++"));

  CommandResult plain = run_command({tracee_path("hello_writes", GetParam())});
  CommandResult traced =
      run_command(ptk_trace({"-o", dir.file("h"), "--", tracee_path("hello_writes", GetParam())}));
  EXPECT_EQ(traced.out, plain.out);
  EXPECT_EQ(traced.err, "");
  EXPECT_TRUE(contains(slurp(dir.file("h")), "write(1, \"hello, ptrace\\n\", 14)"));
}

TEST_P(TraceCli, KilledTraceeKillsPtkTheSameWay) {
  TempDir dir;
  CommandResult r = run_command(
      ptk_trace({"-o", dir.file("t"), "--", tracee_path("exit_with", GetParam()), "signal", "15"}));
  ASSERT_TRUE(WIFSIGNALED(r.status)) << describe_status(r.status);
  EXPECT_EQ(WTERMSIG(r.status), SIGTERM);
  EXPECT_TRUE(contains(slurp(dir.file("t")), "+++ killed by SIGTERM +++"));
}

TEST_P(TraceCli, HostileTraceeIsBoundedAndEscaped) {
  TempDir dir;
  CommandResult r =
      run_command(ptk_trace({"-o", dir.file("t"), "--", tracee_path("hostile", GetParam())}));
  ASSERT_TRUE(WIFEXITED(r.status)) << describe_status(r.status) << r.err;
  EXPECT_EQ(WEXITSTATUS(r.status), 0) << r.err;
  // No error from ptk itself: only strace's own notes of strings that run into unmapped
  // memory (strace prints the same "umovestr: short read" lines for this tracee).
  static const std::regex kShortRead(
      "(ptk: umovestr: short read \\([0-9]+ < [0-9]+\\) @0x[0-9a-f]+: Bad address\n)*");
  EXPECT_TRUE(std::regex_match(r.err, kShortRead)) << r.err;
  std::string trace = slurp(dir.file("t"));
  EXPECT_LT(trace.size(), 64u * 1024) << "output must stay bounded";
  EXPECT_EQ(trace.find('\x1b'), std::string::npos) << "a raw escape byte reached the output";
  EXPECT_EQ(trace.find('\a'), std::string::npos);
  EXPECT_TRUE(contains(trace, "write(-1, \"\\33[31mRED\\33]0;pwned\\7\\33[2J\\r\\n\", 24)"));
  EXPECT_TRUE(contains(trace, "readv(-1, 0x8, 1000000000)"));
  // A path that runs into an unmapped page shows as its address, as strace shows it.
  EXPECT_TRUE(contains(trace, "openat(AT_FDCWD, 0x"));
  EXPECT_EQ(trace.find("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), std::string::npos);
  EXPECT_TRUE(contains(trace, "+++ exited with 0 +++"));
}

TEST_P(TraceCli, JsonLinesParseAndFollowTheSchema) {
  TempDir dir;
  std::string out = dir.file("t.jsonl");
  CommandResult r =
      run_command(ptk_trace({"--json", "-o", out, "--", tracee_path("hello_writes", GetParam())}));
  ASSERT_EQ(r.status, 0) << r.err;
  // Every line is one JSON object with a type; syscall objects have the documented fields.
  EXPECT_EQ(jq("all(.[]; type == \"object\" and (.type | type) == \"string\")", out, true), 0);
  // Every ABI is one of the host's, by the name ptk gives it (the execve that starts a 32-bit
  // program is the 64-bit launcher's).
  std::string host_abi;
  for (ptk::Arch a : ptk::kHostArches) {
    host_abi += fmt::format("{}.abi == \"{}\"", host_abi.empty() ? "" : " or ", ptk::to_string(a));
  }
  EXPECT_EQ(jq(fmt::format("all(.[] | select(.type == \"syscall\"); (.pid | type) == \"number\" "
                           "and (.tid | type) == \"number\" and ({}) and "
                           "(.name | type) == \"string\" and (.args | type) == \"object\" and "
                           "(.ts | type) == \"number\")",
                           host_abi),
               out, true),
            0);
  std::string abi(ptk::to_string(arch_of_bits(GetParam())));
  EXPECT_EQ(jq(fmt::format("any(.[]; .type == \"syscall\" and .name == \"write\" and .abi == "
                           "\"{}\" and .args.fd == 1 and .args.buf.str == \"hello, ptrace\\n\" and "
                           ".args.buf.len == 14 and .ret == 14 and (.dur | type) == \"number\")",
                           abi),
               out, true),
            0);
  EXPECT_EQ(jq("any(.[]; .type == \"exit\" and .status == 0)", out, true), 0);
}

TEST_P(TraceCli, FilteredTraceStopsOnlyAtSelectedSyscalls) {
  // With -f and a partial filter the tracee runs under a seccomp filter: only the selected
  // syscalls stop, and each is shown whole, the execve of the spawn included.
  TempDir dir;
  std::string tracee = tracee_path("hello_writes", GetParam());
  CommandResult r =
      run_command(ptk_trace({"-f", "-e", "trace=execve,write", "-o", dir.file("t"), "--", tracee}));
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> lines;
  std::istringstream in(slurp(dir.file("t")));
  for (std::string line; std::getline(in, line);) {
    // Drop the pid column ("%-5d ": the padding varies with the pid's digits).
    std::size_t text = line.find_first_not_of(' ', line.find(' '));
    lines.push_back(line.substr(text == std::string::npos ? line.size() : text));
  }
  ASSERT_EQ(lines.size(), 4u) << slurp(dir.file("t"));
  EXPECT_TRUE(lines[0].starts_with(fmt::format("execve(\"{}\"", tracee))) << lines[0];
  EXPECT_TRUE(lines[0].ends_with("= 0")) << lines[0];
  EXPECT_TRUE(lines[1].starts_with("write(1, \"hello, ptrace\\n\", 14)")) << lines[1];
  EXPECT_TRUE(lines[1].ends_with(" = 14")) << lines[1];
  EXPECT_TRUE(lines[2].starts_with("write(1, \"second line!\\n\", 13)")) << lines[2];
  EXPECT_TRUE(lines[2].ends_with(" = 13")) << lines[2];
  EXPECT_TRUE(contains(lines[3], "+++ exited with 0 +++"));
}

TEST(TraceCliI386, SocketcallSubcallsAreSelectedByName) {
  PTK_REQUIRE_BITS(32);
  // 32-bit glibc reaches socket() through socketcall(2): -e trace=socket still selects it.
  TempDir dir;
  for (const char* follow : {"-f", "-q"}) {  // with and without the seccomp filter
    CommandResult r = run_command(ptk_trace({follow, "-e", "trace=socket", "-o", dir.file("t"),
                                             "--", tracee_path("network_calls", 32)}));
    ASSERT_TRUE(WIFEXITED(r.status)) << r.err;
    EXPECT_TRUE(contains(slurp(dir.file("t")), "socket(AF_")) << follow << slurp(dir.file("t"));
  }
}

TEST_P(TraceCli, ExecFromANonLeaderThreadIsFollowed) {
  // The exec'ing thread takes the leader's tid mid-syscall; the trace goes on under it.
  TempDir dir;
  CommandResult r = run_command(
      ptk_trace({"-f", "-e", "trace=execve,write", "-o", dir.file("t"), "--",
                 tracee_path("exec_thread", GetParam()), tracee_path("hello_writes", GetParam())}));
  ASSERT_TRUE(WIFEXITED(r.status)) << describe_status(r.status) << r.err;
  EXPECT_EQ(WEXITSTATUS(r.status), 0) << r.err;
  std::string trace = slurp(dir.file("t"));
  EXPECT_TRUE(contains(trace, "execve(\"" + tracee_path("hello_writes", GetParam()).substr(0, 20)));
  EXPECT_TRUE(contains(trace, "write(1, \"hello, ptrace\\n\", 14)"));
  EXPECT_TRUE(contains(trace, "+++ exited with 0 +++"));
}

INSTANTIATE_TEST_SUITE_P(Abi, TraceCli, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("m{}", info.param); });

TEST(TraceCliPerfetto, MultiThreadedTraceIsValidTraceEventFormat) {
  TempDir dir;
  std::string pf = dir.file("trace.json");
  CommandResult r = run_command(ptk_trace({"-f", "-o", dir.file("t"), "--perfetto", pf, "--",
                                           tracee_path("thread_pool", 64), "4", "20"}));
  ASSERT_EQ(r.status, 0) << r.err;
  // Every event has ph, ts, pid and tid; complete events have a duration.
  EXPECT_EQ(jq(".traceEvents | length > 100 and all(.[]; (.ph | type) == \"string\" and (.ts | "
               "type) == \"number\" and (.pid | type) == \"number\" and (.tid | type) == "
               "\"number\" and (.ph != \"X\" or (.dur | type) == \"number\"))",
               pf),
            0);
  // Several threads, each its own track; slices of one thread never overlap (they nest
  // trivially: syscalls of one thread are sequential).
  EXPECT_EQ(jq("[.traceEvents[] | select(.ph == \"X\") | .tid] | unique | length >= 5", pf), 0);
  EXPECT_EQ(jq("[.traceEvents[] | select(.ph == \"X\")] | group_by(.tid) | all(sort_by(.ts) | "
               ". as $s | all(range(1; length); $s[. - 1].ts + $s[. - 1].dur <= $s[.].ts + "
               "0.001))",
               pf),
            0);
  EXPECT_EQ(jq("any(.traceEvents[]; .ph == \"X\" and .name == \"getppid\" and (.args.line | "
               "startswith(\"getppid()\")))",
               pf),
            0);
}

TEST(TraceCliErrors, BadInputIsOneClearLineAndNonzero) {
  struct Case {
    std::vector<std::string> args;
    std::string expect;
  };
  std::vector<Case> cases = {
      {{"-e", "trace=opnat", "--", "/bin/true"}, "did you mean openat"},
      {{"-e", "trace=/[", "--", "/bin/true"}, "regular expression"},
      {{"-e", "trace=%bogus", "--", "/bin/true"}, "%bogus"},
      {{"-p", "abc"}, "'abc' is not a process id"},
      {{"-p", "999999999"}, "no process with pid 999999999"},
      {{"--", "/no/such/command"}, "/no/such/command"},
      {{"--", "no-such-command-ptk"}, "command not found"},
      {{}, "give a command"},
  };
  for (const Case& c : cases) {
    CommandResult r = run_command(ptk_trace(c.args));
    EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) != 0) << c.expect;
    EXPECT_TRUE(contains(r.err, c.expect)) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(r.err.starts_with("ptk trace: ")) << r.err;
  }
  EXPECT_TRUE(has_no_children());
}

TEST(TraceCliAttach, InterruptDetachesAndTheProcessRunsOn) {
  TempDir dir;
  Pipe in = make_pipe(), out = make_pipe();
  Child counter({tracee_path("counter_threads", 64), "2"}, in.read_end.get(), out.write_end.get());
  out.write_end.reset();
  ASSERT_TRUE(write_byte(in.write_end.get()));
  EXPECT_EQ(read_line(out.read_end.get()), "count 1");

  // ptk trace -p, with its stderr on a pipe to learn when it has attached.
  Pipe err = make_pipe();
  std::string trace_file = dir.file("t");
  std::string pid = std::to_string(counter.pid());
  pid_t ptk = ::fork();
  if (ptk == 0) {
    ::dup2(err.write_end.get(), 2);
    close_inherited_fds();
    ::execl(PTK_CLI, PTK_CLI, "trace", "-f", "-o", trace_file.c_str(), "-p", pid.c_str(), nullptr);
    ::_exit(127);
  }
  err.write_end.reset();
  EXPECT_EQ(read_line(err.read_end.get()), fmt::format("ptk trace: Process {} attached", pid));
  for (int i = 2; i <= 4; ++i) {
    ASSERT_TRUE(write_byte(in.write_end.get()));
    EXPECT_EQ(read_line(out.read_end.get()), fmt::format("count {}", i));
  }
  ::kill(ptk, SIGINT);
  EXPECT_EQ(read_line(err.read_end.get()), fmt::format("ptk trace: Process {} detached", pid));
  int status = wait_child(ptk);
  // As strace after -p: it dies of the signal once it let go (the shell's 130).
  EXPECT_EQ(describe_status(status), "killed by SIGINT");
  // The worker's write may be printed whole or split around the main thread's read
  // ("write(1, \"count 3\n\", 8 <unfinished ...>"), as strace would: match what both show.
  EXPECT_TRUE(contains(slurp(trace_file), "write(1, \"count 3\\n\", 8"));

  // Untraced again, it carries on exactly as before.
  for (int i = 5; i <= 6; ++i) {
    ASSERT_TRUE(write_byte(in.write_end.get()));
    EXPECT_EQ(read_line(out.read_end.get()), fmt::format("count {}", i));
  }
  in.write_end.reset();
  EXPECT_EQ(read_line(out.read_end.get()), "done");
  status = counter.wait();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << describe_status(status);
}

}  // namespace
}  // namespace ptk_test
