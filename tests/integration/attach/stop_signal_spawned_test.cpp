// A stop signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE) sent to ptk while it runs a command
// of its own, as strace 6.1 takes it (ptk/engine/stop_signals.h):
// - without -o, ptk lets every process go; the command gets SIGCONT and the same signal from
//   ptk (never SIGKILL), runs on untraced, and ptk dies of that signal;
// - with -o FILE, ptk ignores it: the command runs to its end, traced, and ptk exits with its
//   status;
// - the command starts with the dispositions ptk was started with (nohup's SIGHUP stays
//   ignored), never with ptk's own.
// The same for every subcommand that starts a command: trace, calls, break, step.
#include <signal.h>
#include <sys/wait.h>

#include <ostream>
#include <sstream>

#include "ptk/core/proc.h"
#include "test_util.h"

namespace ptk_test {
namespace {

// ptk with the command's stdin and stdout on pipes (ptk passes its own to the command) and its
// stderr on a third; once the command said "ready PID IGNORED", both run.
class PtkRun {
 public:
  struct Options {
    bool own_group = false;   // ptk leads a process group (a terminal's foreground job)
    bool ignore_hup = false;  // ptk starts with SIGHUP ignored, as under nohup
  };
  PtkRun(std::vector<std::string> args, Options options) {
    args.insert(args.begin(), PTK_CLI);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      if (options.own_group) ::setpgid(0, 0);
      if (options.ignore_hup) ::signal(SIGHUP, SIG_IGN);
      ::dup2(in_.read_end.get(), 0);
      ::dup2(out_.write_end.get(), 1);
      ::dup2(err_.write_end.get(), 2);
      close_inherited_fds();
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    in_.read_end.reset();
    out_.write_end.reset();
    err_.write_end.reset();
    // ptk's own stdout lines (break --count) come at the end: the first line is the command's.
    std::istringstream ready(read_line(out_.read_end.get()).value_or("EOF"));
    std::string word;
    ready >> word >> command_ >> ignored_;
    ready_ = word == "ready";
  }
  PtkRun(const PtkRun&) = delete;
  PtkRun& operator=(const PtkRun&) = delete;
  ~PtkRun() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait_child(pid_);
    }
    if (command_ > 0) ::kill(command_, SIGKILL);  // not our child: init reaps it
  }

  bool ready() const { return ready_; }
  pid_t command() const { return command_; }
  const std::string& ignored() const { return ignored_; }
  pid_t pid() const { return pid_; }

  // Sends `sig` to ptk until it ends (one could land between its check of the stop flag and a
  // blocking waitpid, where it waits for the next event: the command, blocked, makes none).
  int interrupt_until_gone(int sig) {
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, sig);
      ::sched_yield();
    }
    pid_ = -1;
    return status;
  }
  int wait() {
    int status = wait_child(pid_);
    pid_ = -1;
    return status;
  }
  // The byte the command waits for; then everything it (and ptk) printed until both are gone.
  std::string release_command() {
    EXPECT_TRUE(write_byte(in_.write_end.get()));
    in_.write_end.reset();
    std::string out = read_all(out_.read_end.get());
    command_ = -1;  // ended: "got N" is its last word
    return out;
  }
  // Everything on ptk's stderr, to EOF: once ptk and the command (which shares it) are gone.
  std::string err() { return read_all(err_.read_end.get()); }

 private:
  Pipe in_ = make_pipe(), out_ = make_pipe(), err_ = make_pipe();
  pid_t pid_ = -1;
  pid_t command_ = -1;
  bool ready_ = false;
  std::string ignored_;
};

struct Subcommand {
  std::string name;
  std::vector<std::string> options;  // before -o and the command
};
void PrintTo(const Subcommand& sub, std::ostream* os) { *os << sub.name; }

const Subcommand kTrace{"trace", {}};
const Subcommand kCalls{"calls", {}};
const Subcommand kBreak{"break", {"main", "--count"}};
// From main: stepping the dynamic loader first would take a while.
const Subcommand kStep{"step", {"--from", "main", "--count"}};

class StopSignalTest : public ::testing::TestWithParam<std::tuple<int, Subcommand>> {
 protected:
  void SetUp() override { PTK_REQUIRE_BITS(bits()); }
  int bits() const { return std::get<0>(GetParam()); }
  const Subcommand& sub() const { return std::get<1>(GetParam()); }
  // ptk SUBCOMMAND OPTIONS [-o FILE] -- signal_survivor [MODE]
  std::vector<std::string> args(bool to_file, std::string_view mode) const {
    std::vector<std::string> a = {sub().name};
    a.insert(a.end(), sub().options.begin(), sub().options.end());
    if (to_file) a.insert(a.end(), {"-o", out_file_.path()});
    a.insert(a.end(), {"--", tracee_path("signal_survivor", bits())});
    if (!mode.empty()) a.emplace_back(mode);
    return a;
  }
  TempFile out_file_{"stop-signal"};
};

// Without -o (every subcommand).
class StopSignalInteractiveTest : public StopSignalTest {};
// With -o FILE (those that have it).
class StopSignalToFileTest : public StopSignalTest {};

// The case: SIGINT to ptk, without -o. The command is let go with the signal (which it
// catches) and finishes untraced; ptk dies of SIGINT at once, as strace.
TEST_P(StopSignalInteractiveTest, TheCommandGetsTheSignalAndRunsOn) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    PtkRun ptk(args(false, "trap"), {});
    ASSERT_TRUE(ptk.ready()) << ptk.err();
    EXPECT_EQ(describe_status(ptk.interrupt_until_gone(sig)),
              fmt::format("killed by {}", ptk::signal_name(sig)));
    pid_t command = ptk.command();
    auto st = ptk::read_status(command);
    ASSERT_TRUE(st.ok()) << "the command is gone";
    EXPECT_EQ(st->tracer_pid, 0);
    EXPECT_EQ(settled_state(command), 'S');  // in its read, neither stopped nor dead
    EXPECT_TRUE(contains(ptk.release_command(), fmt::format("got {}\n", sig)));
    // (The command writes to ptk's stderr too: read to its end once the command is gone.)
    EXPECT_TRUE(contains(ptk.err(), fmt::format("Process {} detached", command)));
  }
}

// A Ctrl-C at a terminal: the whole group gets SIGINT. The command (catching it) gets ptk's
// forwarded one too and runs on.
TEST_P(StopSignalInteractiveTest, CtrlCToTheProcessGroup) {
  PtkRun ptk(args(false, "trap"), {.own_group = true});
  ASSERT_TRUE(ptk.ready()) << ptk.err();
  ::kill(-ptk.pid(), SIGINT);
  EXPECT_EQ(describe_status(ptk.interrupt_until_gone(SIGINT)), "killed by SIGINT");
  EXPECT_TRUE(contains(ptk.release_command(), "got 2\n"));
}

// Under nohup the command ignores SIGHUP as it would untraced; ptk's own handlers are not its.
TEST_P(StopSignalInteractiveTest, TheCommandKeepsTheDispositionsPtkWasStartedWith) {
  for (bool nohup : {false, true}) {
    PtkRun ptk(args(false, ""), {.ignore_hup = nohup});
    ASSERT_TRUE(ptk.ready()) << ptk.err();
    EXPECT_EQ(ptk.ignored(), nohup ? "HUP" : "-");
    EXPECT_TRUE(contains(ptk.release_command(), "got 0\n"));
    EXPECT_EQ(describe_status(ptk.wait()), "exited with 3") << ptk.err();
  }
}

// With -o FILE the stop signals are ignored: the command finishes traced, unaware of them, and
// ptk exits with its status.
TEST_P(StopSignalToFileTest, TheSignalsAreIgnored) {
  PtkRun ptk(args(true, ""), {});
  ASSERT_TRUE(ptk.ready()) << ptk.err();
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) ::kill(ptk.pid(), sig);
  EXPECT_TRUE(contains(ptk.release_command(), "got 0\n"));
  EXPECT_EQ(describe_status(ptk.wait()), "exited with 3") << ptk.err();
}

// Ctrl-C with -o: only the command sees it; ptk waits for it and exits with its status.
TEST_P(StopSignalToFileTest, CtrlCToTheProcessGroup) {
  PtkRun ptk(args(true, "trap"), {.own_group = true});
  ASSERT_TRUE(ptk.ready()) << ptk.err();
  ::kill(-ptk.pid(), SIGINT);
  EXPECT_TRUE(contains(ptk.release_command(), "got 2\n"));
  EXPECT_EQ(describe_status(ptk.wait()), "exited with 3") << ptk.err();
}

// ptk ignores the stop signals itself here: the command must not inherit that (nor lose
// nohup's SIGHUP).
TEST_P(StopSignalToFileTest, TheCommandKeepsTheDispositionsPtkWasStartedWith) {
  for (bool nohup : {false, true}) {
    PtkRun ptk(args(true, ""), {.ignore_hup = nohup});
    ASSERT_TRUE(ptk.ready()) << ptk.err();
    EXPECT_EQ(ptk.ignored(), nohup ? "HUP" : "-");
    EXPECT_TRUE(contains(ptk.release_command(), "got 0\n"));
    EXPECT_EQ(describe_status(ptk.wait()), "exited with 3") << ptk.err();
  }
}

std::string param_name(const ::testing::TestParamInfo<std::tuple<int, Subcommand>>& info) {
  return fmt::format("{}_{}bit", std::get<1>(info.param).name, std::get<0>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Subcommands, StopSignalInteractiveTest,
                         ::testing::Combine(::testing::Values(64, 32),
                                            ::testing::Values(kTrace, kCalls, kBreak, kStep)),
                         param_name);
INSTANTIATE_TEST_SUITE_P(Subcommands, StopSignalToFileTest,
                         ::testing::Combine(::testing::Values(64, 32),
                                            ::testing::Values(kTrace, kCalls, kStep)),
                         param_name);

}  // namespace
}  // namespace ptk_test
