// `ptk trace -e inject=` / `-e fault=` against strace: for each spec, the traced program's
// stdout, stderr and exit status under `ptk trace -f -o /dev/null -e inject=SPEC` equal those
// under `strace -f -o /dev/null -e inject=SPEC`. The programs run with a fixed, minimal
// environment (no locale files to open), so that invocation counts mean the same call in
// every run. The tracers' own lines ("strace: ...", "ptk ...") are left out of stderr, and ptk
// must not have said that a tampering failed.
#include <sys/stat.h>

#include "test_util.h"

namespace ptk_test {
namespace {

constexpr const char* kStrace = "/usr/bin/strace";

struct Case {
  const char* name;
  std::vector<std::string> exprs;         // -e arguments for ptk
  std::vector<std::string> strace_exprs;  // for strace, when they differ (combined specs)
  std::vector<std::string> command;       // command[0] found in PATH, or a tracee name
};

// ctest's names carry gtest's "GetParam() = ..." text: the name, not the struct's raw bytes
// (pointers among them), keeps them the same from build to build.
void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// Runs argv (argv[0] a path) with only PATH in the environment.
CommandResult run_clean(const std::vector<std::string>& argv) {
  std::vector<std::string> full = {"/usr/bin/env", "-i", "PATH=/usr/bin:/bin"};
  full.insert(full.end(), argv.begin(), argv.end());
  return run_command(full);
}

std::string program_path(const std::string& name) {
  if (name.starts_with("tracee:")) return fmt::format("{}/{}", PTK_TRACEE_DIR, name.substr(7));
  for (const char* dir : {"/usr/bin/", "/bin/"}) {
    std::string p = std::string(dir) + name;
    if (::access(p.c_str(), X_OK) == 0) return p;
  }
  return name;
}

// stderr without the tracer's own lines.
std::string program_stderr(const std::string& err, std::string* tracer_lines) {
  std::string out;
  std::size_t pos = 0;
  while (pos < err.size()) {
    std::size_t nl = err.find('\n', pos);
    std::size_t end = nl == std::string::npos ? err.size() : nl + 1;
    std::string_view line(err.data() + pos, end - pos);
    if (line.starts_with("strace: ") || line.starts_with("ptk ") || line.starts_with("ptk: ")) {
      if (tracer_lines) tracer_lines->append(line);
    } else {
      out.append(line);
    }
    pos = end;
  }
  return out;
}

CommandResult traced(const std::string& tracer, const std::vector<std::string>& exprs,
                     const std::vector<std::string>& command) {
  std::vector<std::string> argv = {tracer};
  if (tracer == PTK_CLI) argv.push_back("trace");
  argv.insert(argv.end(), {"-f", "-o", "/dev/null"});
  for (const std::string& e : exprs) argv.insert(argv.end(), {"-e", e});
  argv.push_back("--");
  argv.push_back(program_path(command[0]));
  argv.insert(argv.end(), command.begin() + 1, command.end());
  return run_clean(argv);
}

class InjectVsStrace : public ::testing::TestWithParam<Case> {};

TEST_P(InjectVsStrace, SameOutputAndStatus) {
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  const Case& c = GetParam();
  PTK_REQUIRE_BITS(c.command[0].ends_with("_32") ? 32 : 64);
  CommandResult ptk = traced(PTK_CLI, c.exprs, c.command);
  CommandResult strace =
      traced(kStrace, c.strace_exprs.empty() ? c.exprs : c.strace_exprs, c.command);
  std::string ptk_says, strace_says;
  EXPECT_EQ(ptk.out, strace.out);
  EXPECT_EQ(program_stderr(ptk.err, &ptk_says), program_stderr(strace.err, &strace_says));
  EXPECT_EQ(describe_status(ptk.status), describe_status(strace.status));
  EXPECT_EQ(ptk_says.find("inject:"), std::string::npos) << ptk_says;
  // The spec did something: the program's run differs from an untampered one.
  CommandResult plain = run_clean([&] {
    std::vector<std::string> argv = {program_path(c.command[0])};
    argv.insert(argv.end(), c.command.begin() + 1, c.command.end());
    return argv;
  }());
  EXPECT_TRUE(plain.out != ptk.out || plain.err != program_stderr(ptk.err, nullptr) ||
              plain.status != ptk.status)
      << "the injection changed nothing";
}

const char* kEchoes = "echo 1; echo 2; echo 3; echo 4; echo 5";

// mkdir(1)'s syscall: glibc's mkdir() is the mkdir syscall on x86, mkdirat on aarch64, which
// has no mkdir. ptk refuses a name the host's ABIs lack (strace on arm64 takes it for its
// AArch32 personality, which ptk does not trace), so the spec names only aarch64's.
#if defined(__aarch64__)
const char* kSubstituteMkdir = "inject=mkdirat:syscall=getppid:retval=0";
#else
const char* kSubstituteMkdir = "inject=mkdir,mkdirat:syscall=getppid:retval=0";
#endif

INSTANTIATE_TEST_SUITE_P(
    Specs, InjectVsStrace,
    ::testing::Values(
        Case{"error", {"inject=openat:error=ENOENT:when=3"}, {}, {"cat", "/etc/hostname"}},
        Case{"error_all", {"inject=openat:error=EACCES"}, {}, {"cat", "/etc/hostname"}},
        Case{"retval", {"inject=write:retval=1"}, {}, {"echo", "hello"}},
        Case{"signal", {"inject=write:signal=SIGUSR1:when=2"}, {}, {"sh", "-c", kEchoes}},
        Case{"when_n_plus", {"inject=write:error=EIO:when=4+"}, {}, {"sh", "-c", kEchoes}},
        Case{"when_range", {"inject=write:retval=2:when=2..4"}, {}, {"sh", "-c", kEchoes}},
        Case{"when_step", {"inject=write:retval=2:when=1+2"}, {}, {"sh", "-c", kEchoes}},
        Case{"when_range_step", {"inject=write:retval=2:when=1..4+3"}, {}, {"sh", "-c", kEchoes}},
        Case{"substitute", {kSubstituteMkdir}, {}, {"mkdir", "/tmp"}},
        Case{"poke_enter",
             {"inject=openat:poke_enter=@arg2=2f00:when=3"},
             {},
             {"cat", "/etc/hostname"}},
        Case{"fault", {"fault=openat:when=3"}, {}, {"cat", "/etc/hostname"}},
        Case{"fault_errno", {"fault=getdents64:error=EACCES"}, {}, {"ls", "/"}},
        Case{"python",
             {"inject=getcwd:error=ENOENT"},
             {},
             {"python3", "-c", "import os; print(os.getcwd())"}},
        Case{"i386_tracee",
             {"inject=openat:error=EPERM:when=3"},
             {},
             {"tracee:tamper_calls_32", "cat", "/etc/hostname"}},
        // Specs on one syscall: as in strace, the last one that names it is the one that
        // counts (qual_fault-exit_group.test): here only the third write is skipped.
        Case{"two_specs",
             {"inject=write:retval=2:when=1", "inject=write:retval=2:when=3"},
             {},
             {"sh", "-c", kEchoes}},
        Case{"later_spec_wins",
             {"inject=write:retval=2:when=1", "inject=write:error=EIO:when=3",
              "inject=write:retval=2:when=3"},
             {},
             {"sh", "-c", kEchoes}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(InjectCli, BadSpecsAreRefusedBeforeTheTraceeStarts) {
  TempFile marker("inject-never");
  for (const char* spec :
       {"inject=openat:error=ENOPE", "inject=opnat:error=EIO", "inject=openat:when=0:error=EIO",
        "fault=openat:retval=1", "inject=openat"}) {
    CommandResult r =
        run_command({PTK_CLI, "trace", "-e", spec, "--", "/usr/bin/touch", marker.path()});
    EXPECT_EQ(describe_status(r.status), "exited with 2") << spec;
    EXPECT_EQ(r.out, "");
    // One line that names the option and the wrong part, in strace's words ("invalid inject
    // argument 'SPEC'", which its qual_inject-syntax.test looks for).
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    std::string_view kind_and_spec = spec;
    std::size_t eq = kind_and_spec.find('=');
    EXPECT_TRUE(contains(r.err, fmt::format("invalid {} argument '{}'", kind_and_spec.substr(0, eq),
                                            kind_and_spec.substr(eq + 1))))
        << r.err;
    struct stat st {};
    EXPECT_NE(::stat(marker.path().c_str(), &st), 0) << spec << ": the command ran";
  }
  CommandResult e =
      run_command({PTK_CLI, "trace", "-e", "inject=openat:error=ENOPE", "--", "/bin/true"});
  EXPECT_TRUE(contains(e.err, "unknown errno \"ENOPE\"")) << e.err;
}

// The output marks as strace prints them, in text and in JSON.
std::string trace_lines(const std::vector<std::string>& opts, const std::vector<std::string>& cmd) {
  TempFile out("inject-marks");
  std::vector<std::string> argv = {
      "/usr/bin/env", "-i", "PATH=/usr/bin:/bin", PTK_CLI, "trace", "-o", out.path()};
  argv.insert(argv.end(), opts.begin(), opts.end());
  argv.push_back("--");
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  run_command(argv);
  std::string all;
  for (const std::string& l : read_lines(out.path())) all += l + "\n";
  return all;
}

TEST(InjectCli, MarksInTextAndJson) {
  std::vector<std::string> open_opts = {"-e", "trace=openat", "-e",
                                        "inject=openat:error=ENOENT:when=3"};
  std::vector<std::string> cat = {"/usr/bin/cat", "/etc/hostname"};
  std::string text = trace_lines(open_opts, cat);
  EXPECT_TRUE(contains(text,
                       "openat(AT_FDCWD, \"/etc/hostname\", O_RDONLY) = -1 ENOENT (No such file or "
                       "directory) (INJECTED)\n"))
      << text;
  open_opts.push_back("--json");
  std::string json = trace_lines(open_opts, cat);
  EXPECT_TRUE(contains(json, "\"errno\":\"ENOENT\",\"errno_nr\":2,\"tamper\":\"(INJECTED)\""))
      << json;

  std::vector<std::string> write_opts = {"-e", "trace=write", "-e", "inject=write:retval=3"};
  std::vector<std::string> echo = {"/usr/bin/echo", "hi"};
  text = trace_lines(write_opts, echo);
  EXPECT_TRUE(contains(text, "write(1, \"hi\\n\", 3)")) << text;
  EXPECT_TRUE(contains(text, " = 3 (INJECTED)\n")) << text;
  write_opts.push_back("--json");
  json = trace_lines(write_opts, echo);
  EXPECT_TRUE(contains(json, "\"ret\":3,\"tamper\":\"(INJECTED)\"")) << json;

  text = trace_lines({"-e", "trace=write", "-e", "inject=write:delay_exit=10us"}, echo);
  EXPECT_TRUE(contains(text, " = 3 (DELAYED)\n")) << text;
  text =
      trace_lines({"-e", "trace=openat", "-e", "inject=openat:poke_enter=@arg2=2f00:when=3"}, cat);
  EXPECT_TRUE(contains(text, "= 3 (INJECTED: args)\n")) << text;
}

// As strace 6.1, only traced syscalls are tampered with: with -e trace=write the openat
// of inject=openat runs untouched (strace -e trace=write -e inject=openat:... cat FILE prints
// FILE); traced, it fails.
TEST(InjectCli, OnlyTracedSyscallsAreTamperedWith) {
  for (const char* traced : {"trace=write", "trace=write,openat"}) {
    TempFile out("inject-hidden");
    CommandResult r = run_command(
        {"/usr/bin/env", "-i", "PATH=/usr/bin:/bin", PTK_CLI, "trace", "-f", "-o", out.path(), "-e",
         traced, "-e", "inject=openat:error=EACCES:when=3", "--", "/usr/bin/cat", "/etc/hostname"});
    bool tampered = std::string_view(traced).ends_with("openat");
    EXPECT_EQ(describe_status(r.status), tampered ? "exited with 1" : "exited with 0") << traced;
    EXPECT_EQ(contains(r.err, "cat: /etc/hostname: Permission denied"), tampered) << r.err;
  }
}

// i386 socketcall(SYS_SOCKET, ...) is matched by inject=socket, as strace does; a socketcall
// whose arguments cannot be read (so not known as a socket call) is left alone.
TEST(InjectCli, I386SocketcallSubCalls) {
  PTK_REQUIRE_BITS(32);
  std::string text = trace_lines({"-e", "trace=socket", "-e", "inject=socket:error=EMFILE"},
                                 {tracee_path("i386_calls", 32)});
  EXPECT_TRUE(
      contains(text,
               "socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0) = -1 EMFILE (Too "
               "many open files) (INJECTED)\n"))
      << text;
  EXPECT_TRUE(contains(text, "socketcall(SYS_SOCKET, 0x10)")) << text;
  EXPECT_TRUE(contains(text, "= -1 EFAULT (Bad address)\n")) << text;  // not injected
}

}  // namespace
}  // namespace ptk_test
