// strace's options in `ptk trace`: for each option strace 6.1 has, ptk's output on the same
// program is strace's, line for line (addresses and clocks masked, alignment kept); the options
// strace 6.1 lacks (7.x's -N, --syscall-limit) are checked against what they must print.
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "test_util.h"
#include "trace/trace_compare_util.h"

namespace ptk_test {
namespace {

constexpr const char* kStrace = kStraceBinary;

// A fresh directory for the tracee, the same path for both tracers (getcwd shows it).
class Dir : public ScratchDir {
 public:
  Dir() : ScratchDir(fmt::format("/tmp/ptk-opts-{}", ::getpid())) {}
};

// What differs between two runs: addresses, instruction pointers, clocks, pids.
std::string mask(std::string l) {
  static const std::pair<std::regex, std::string> kMasks[] = {
      {std::regex("0x[0-9a-f]{5,}"), "0xADDR"},
      {std::regex("\\[[0-9a-f]{16}\\]"), "[IP]"},
      {std::regex("(f_bfree|f_bavail|f_ffree)=[0-9]+"), "$1=N"},
      // A time's fraction has as many digits as it has: 9 digits in one run, 8 in the next.
      {std::regex("(_nsec|_usec)=[0-9]+"), "$1=N"},
      {std::regex("f_handle=\"[^\"]*\""), "f_handle=H"},  // the inode's generation
      {std::regex("<[0-9]+\\.[0-9]+>"), "<T>"},
      // Dates with -v: strace leaves out a fraction of zero nanoseconds.
      {std::regex(" /\\* [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+[+-][0-9]{4} \\*/"), " DATE"},
      // A child's CPU ticks in SIGCHLD's siginfo, and the " /* 0.01 s */" comment that comes
      // only when the count is not 0: both up to the run (9 ticks in one, 99 in the next under
      // the aarch64 guest's emulation).
      {std::regex("(si_[us]time=)[0-9]+( /\\* [0-9.]+ s \\*/)?"), "$1N"},
      {std::regex("[0-9]"), "9"},  // last: what is left differs only in its digits
  };
  for (const auto& [re, with] : kMasks) l = std::regex_replace(l, re, with);
  return l;
}

TraceRun trace(const std::string& tracer, const std::vector<std::string>& opts,
               const std::vector<std::string>& cmd) {
  return trace_run(tracer, opts, cmd);
}

// Calls whose decoders print plain names and flags. aarch64's generic table has no chmod
// (file_ops.c makes fchmodat there); arm64's strace would take the name from its AArch32
// personality, which ptk does not trace, and ptk refuses a name it has no number for.
#if defined(__aarch64__)
constexpr const char* kPlainCalls = "trace=openat,close,fchmodat,fchmod,lseek";
#else
constexpr const char* kPlainCalls = "trace=openat,close,chmod,fchmod,lseek";
#endif

class TraceOptionsVsStrace : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(TraceOptionsVsStrace, SameOutputAsStrace) {
  PTK_REQUIRE_TRACEE("file_ops");
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  Dir dir;
  std::vector<std::string> opts = GetParam();
  // The tracee's file calls: many flags, names and structs for -X, -a, -n and the sets.
  opts.insert(opts.begin(), {"-e", "trace=%file,%desc,exit_group"});
  std::vector<std::string> cmd = {tracee_path("file_ops", 64), dir.path()};
  TraceRun theirs = trace(kStrace, opts, cmd);
  dir.reset();
  TraceRun ours = trace(PTK_CLI, opts, cmd);
  EXPECT_EQ(describe_status(ours.result.status), describe_status(theirs.result.status))
      << ours.result.err;
  ASSERT_GT(theirs.lines.size(), 3u);
  ASSERT_EQ(ours.lines.size(), theirs.lines.size());
  for (std::size_t i = 0; i < ours.lines.size(); ++i) {
    EXPECT_EQ(mask(ours.lines[i]), mask(theirs.lines[i])) << "line " << i;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Options, TraceOptionsVsStrace,
    ::testing::Values(
        std::vector<std::string>{"-a", "20"}, std::vector<std::string>{"-a60"},
        std::vector<std::string>{"--columns=0"}, std::vector<std::string>{"-n"},
        std::vector<std::string>{"-i"},
        std::vector<std::string>{"--syscall-number", "--instruction-pointer"},
        // -X and raw= on calls whose decoders print plain names and flags (ptk's -X does not
        // reach struct fields such as st_mode yet).
        std::vector<std::string>{"-X", "raw", "-e", kPlainCalls},
        std::vector<std::string>{"--const-print-style=verbose", "-e", kPlainCalls},
        std::vector<std::string>{"-e", "raw=openat,close", "-e", "trace=openat,close,read"},
        std::vector<std::string>{"--raw=all", "-e", "trace=openat,close,read,write"},
        std::vector<std::string>{"-e", "abbrev=none"},
        std::vector<std::string>{"-e", "abbrev=!newfstatat", "-e", "trace=newfstatat,fstat"},
        std::vector<std::string>{"--verbose=newfstatat", "-e", "trace=newfstatat,fstat"},
        std::vector<std::string>{"-e", "verbose=!execve", "-e", "trace=execve,newfstatat"},
        std::vector<std::string>{"-qq"}, std::vector<std::string>{"--quiet=exit"},
        std::vector<std::string>{"--silence=exit"},
        std::vector<std::string>{"-e", "quiet=attach,exit"},
        std::vector<std::string>{"--trace=openat,close"},
        std::vector<std::string>{"-e", "trace=,openat,,close,"},
        std::vector<std::string>{"--signal=none", "--status=failed"},
        std::vector<std::string>{"--successful-only", "--string-limit=4"},
        std::vector<std::string>{"-tt"}, std::vector<std::string>{"-ttt", "-T"},
        std::vector<std::string>{"--absolute-timestamps=unix,ms"},
        std::vector<std::string>{"--absolute-timestamps=format:time,precision:ns"},
        std::vector<std::string>{"-r"}, std::vector<std::string>{"--syscall-times=ns"},
        std::vector<std::string>{"-xx", "-s8"},
        std::vector<std::string>{"--strings-in-hex=non-ascii"}, std::vector<std::string>{"-yy"},
        std::vector<std::string>{"-y"}, std::vector<std::string>{"--no-abbrev"},
        std::vector<std::string>{"-I", "never"}, std::vector<std::string>{"-I2"}),
    [](const auto& info) {
      std::string name;
      for (const std::string& o : info.param) {
        for (char c : o) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      }
      return name.empty() ? std::string("none") : name;
    });

// Startup options: the command's environment and user, as strace sets them.
TEST(TraceOptions, EnvAndUserAsStrace) {
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  std::vector<std::string> opts = {"-e",   "trace=none",    "-E", "PTK_A=1", "-E",
                                   "HOME", "--env=PTK_B=2", "-u", "nobody"};
  std::vector<std::string> cmd = {"/bin/sh", "-c", "echo $PTK_A ${PTK_B} ${HOME:-none} $(id -u)"};
  TraceRun theirs = trace(kStrace, opts, cmd);
  TraceRun ours = trace(PTK_CLI, opts, cmd);
  EXPECT_EQ(theirs.result.out, "1 2 none 65534\n");
  EXPECT_EQ(ours.result.out, theirs.result.out) << ours.result.err;
  ASSERT_EQ(ours.lines.size(), theirs.lines.size());
  for (std::size_t i = 0; i < ours.lines.size(); ++i) {
    EXPECT_EQ(mask(ours.lines[i]), mask(theirs.lines[i]));
  }
}

// -b execve: the process is let go at its next execve, after the command's own.
TEST(TraceOptions, DetachOnExecveAsStrace) {
  std::vector<std::string> opts = {"-e", "trace=execve", "-b", "execve"};
  std::vector<std::string> cmd = {"/bin/sh", "-c", "exec /bin/echo hi"};
  TraceRun ours = trace(PTK_CLI, opts, cmd);
  EXPECT_EQ(ours.result.out, "hi\n");
  EXPECT_EQ(describe_status(ours.result.status), "exited with 0") << ours.result.err;
  ASSERT_EQ(ours.lines.size(), 2u) << ours.result.err;
  EXPECT_TRUE(ours.lines[0].starts_with("execve(\"/bin/sh\", [\"/bin/sh\", \"-c\""))
      << ours.lines[0];
  EXPECT_TRUE(ours.lines[1].starts_with("execve(\"/bin/echo\", [\"/bin/echo\", \"hi\"]"));
  EXPECT_TRUE(ours.lines[1].ends_with(" <detached ...>")) << ours.lines[1];
  EXPECT_TRUE(contains(ours.result.err, "Process ")) << ours.result.err;
}

// -e read=/write=: the data in full, in strace's hex dump, after each line: plain and vectored
// calls, msghdr and mmsghdr vectors; writes dump what they were given even when they fail.
TEST(TraceOptions, DumpsAsStrace) {
  PTK_REQUIRE_TRACEE("desc_calls");
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  // A small binary for bytes of every kind, and the tracees of vectored and socket I/O.
  std::vector<std::string> cat = {"/bin/cat", tracee_path("file_ops", 64)};
  std::vector<std::string> desc = {tracee_path("desc_calls", 64),
                                   fmt::format("/tmp/ptk-dumps-{}", ::getpid())};
  std::vector<std::string> net = {tracee_path("network_calls", 64)};
  using Case = std::pair<std::vector<std::string>, std::vector<std::string>>;
  for (const auto& [opts, cmd] :
       {Case{{"-e", "trace=read,write", "-e", "read=3", "-e", "write=1"}, cat},
        Case{{"--trace=read", "--read=all", "-s4"}, cat},
        Case{{"--trace=write", "--write=!1", "--read=3"}, cat},
        Case{{"-e", "trace=readv,writev,preadv,pwritev,read,write", "-e", "read=all", "-e",
              "write=all"},
             desc},
        Case{{"-e", "trace=%network", "-e", "read=all", "-e", "write=all"}, net}}) {
    TraceRun theirs = trace(kStrace, opts, cmd);
    TraceRun ours = trace(PTK_CLI, opts, cmd);
    ::unlink(desc[1].c_str());
    ASSERT_GE(theirs.lines.size(), 2u);
    ASSERT_EQ(ours.lines.size(), theirs.lines.size()) << opts[1];
    for (std::size_t i = 0; i < ours.lines.size(); ++i) {
      ASSERT_EQ(mask(ours.lines[i]), mask(theirs.lines[i])) << "line " << i;
    }
  }
}

// -Y: pids with their command names, in arguments and results (signal lines aside: ptk's
// siginfo has no names yet).
TEST(TraceOptions, PidCommandNamesAsStrace) {
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  std::vector<std::string> opts = {"-Y", "-e", "trace=getpid,kill,clone,wait4"};
  std::vector<std::string> cmd = {"/bin/sh", "-c", "kill -0 $$; /bin/true; exit 0"};
  // The child's name at clone's return is a race the kernel leaves open: the vfork parent
  // wakes when the child's execve drops the old mm (exec_mmap), before execve renames the child
  // (__set_task_comm), so either tracer may see "sh" or "true" there (seen on aarch64).
  static const std::regex child_name(R"(^(clone\(.*\) += [0-9]+)<[^>]*>$)");
  auto calls = [](const std::vector<std::string>& lines) {
    std::vector<std::string> out;
    for (const std::string& l : lines) {
      if (l.starts_with("---")) continue;
      out.push_back(std::regex_replace(mask(l), child_name, "$1<child>"));
    }
    return out;
  };
  TraceRun theirs = trace(kStrace, opts, cmd);
  TraceRun ours = trace(PTK_CLI, opts, cmd);
  EXPECT_TRUE(contains(fmt::format("{}", fmt::join(theirs.lines, "\n")), "<sh>"));
  EXPECT_EQ(calls(ours.lines), calls(theirs.lines));
}

// A signal injected with a syscall comes from the kernel (SI_KERNEL), as strace's does: ptk
// gives it with the restart of the stop rather than sending it itself.
TEST(TraceOptions, InjectedSignalAsStrace) {
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  std::vector<std::string> opts = {"-e", "trace=getppid", "-e",
                                   "inject=getppid:signal=USR1:when=3"};
  std::vector<std::string> cmd = {tracee_path("summary_calls", 64)};
  TraceRun theirs = trace(kStrace, opts, cmd);
  TraceRun ours = trace(PTK_CLI, opts, cmd);
  EXPECT_EQ(describe_status(ours.result.status), describe_status(theirs.result.status));
  ASSERT_EQ(ours.lines.size(), theirs.lines.size());
  for (std::size_t i = 0; i < ours.lines.size(); ++i)
    EXPECT_EQ(mask(ours.lines[i]), mask(theirs.lines[i]));
  EXPECT_TRUE(contains(fmt::format("{}", fmt::join(ours.lines, "\n")), "si_code=SI_KERNEL"));
}

// A child made with CLONE_PTRACE is traced by ptk without asking; without -f ptk lets it go
// (as strace), or it and its waiting parent would hang.
TEST(TraceOptions, ClonePtraceChildIsLetGoWithoutF) {
  PTK_REQUIRE_BITS(64);
  TraceRun ours = trace(PTK_CLI, {"-e", "trace=clone,wait4"}, {tracee_path("clone_ptrace", 64)});
  EXPECT_EQ(describe_status(ours.result.status), "exited with 0") << ours.result.err;
  EXPECT_EQ(ours.result.out, "child done\nchild exited with 7\n");
}

// strace 6.16's -N: each argument by its name.
TEST(TraceOptions, ArgNames) {
  PTK_REQUIRE_TRACEE("file_ops");
  Dir dir;
  TraceRun ours = trace(PTK_CLI, {"-N", "-e", "trace=getcwd,fchmod"},
                        {tracee_path("file_ops", 64), dir.path()});
  std::string all;
  for (const std::string& l : ours.lines) all += l + "\n";
  EXPECT_TRUE(contains(all, fmt::format("getcwd(buf=\"{}\", size=4096) = ", dir.path())));
  EXPECT_TRUE(contains(all, "fchmod(fd=3, mode=04755)    "));
}

// --syscall-limit: the trace ends after N syscalls, the command runs on untraced.
TEST(TraceOptions, SyscallLimitLetsGoAfterN) {
  TraceRun ours = trace(PTK_CLI, {"--syscall-limit=3", "-e", "trace=read,close"},
                        {"/bin/cat", "/etc/hostname", "/etc/hostname"});
  EXPECT_EQ(describe_status(ours.result.status), "exited with 0") << ours.result.err;
  std::size_t calls = 0;
  for (const std::string& l : ours.lines)
    calls += l.starts_with("read(") || l.starts_with("close(");
  EXPECT_EQ(calls, 3u);
  EXPECT_TRUE(contains(ours.result.err, "detached")) << ours.result.err;
  // cat went on: both copies of the file are on its output.
  EXPECT_EQ(ours.result.out.size() % 2, 0u);
  EXPECT_FALSE(ours.result.out.empty());
}

// Options that take values refuse bad ones in one line, and unknown options are named.
TEST(TraceOptions, BadValuesAreOneLine) {
  // Each bad command line, and a word the error must name.
  const std::pair<std::vector<std::string>, std::string> kBad[] = {
      {{"-X", "fancy"}, "fancy"},
      {{"-a", "x"}, "-a x"},
      {{"-b", "fork"}, "fork"},
      {{"-I", "9"}, "-I 9"},
      {{"--absolute-timestamps=weekly"}, "weekly"},
      {{"-e", "quiet=loud"}, "loud"},
      {{"--decode-fds=colour"}, "colour"},
      {{"-Q"}, "-Q"},
      {{"-s"}, "-s"},
  };
  for (const auto& [bad, word] : kBad) {
    std::vector<std::string> argv = {PTK_CLI, "trace"};
    argv.insert(argv.end(), bad.begin(), bad.end());
    argv.push_back("/bin/true");
    CommandResult r = run_command(argv);
    EXPECT_EQ(describe_status(r.status), "exited with 2") << bad[0];
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_TRUE(contains(r.err, word)) << r.err;
  }
}

}  // namespace
}  // namespace ptk_test
