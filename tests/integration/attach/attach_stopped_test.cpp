// Attaching to a stopped (SIGSTOP) multi-threaded process, as strace does: every subcommand
// that attaches and runs (trace, break, calls, step) keeps it stopped while attached (its
// threads listen, PTRACE_LISTEN, instead of being resumed out of their group-stop) and after
// detach; a SIGCONT while attached lets it run on normally, traced.
#include <signal.h>
#include <sys/wait.h>

#include "debug/break_util.h"
#include "ptk/core/proc.h"
#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::EventKind;

constexpr int kWorkers = 2;

// counter_threads, untraced, stopped by SIGSTOP once its threads exist.
class AttachStoppedTest : public BitsTest {
 protected:
  void SetUp() override {
    BitsTest::SetUp();
    if (IsSkipped()) return;
    child_.emplace(std::vector<std::string>{tracee_path("counter_threads", GetParam()),
                                            std::to_string(kWorkers)},
                   in_.read_end.get(), out_.write_end.get());
    in_.read_end.reset();
    out_.write_end.reset();
    step();
    ASSERT_EQ(::kill(pid(), SIGSTOP), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(pid(), &status, WUNTRACED), pid());
    ASSERT_TRUE(WIFSTOPPED(status));
  }

  pid_t pid() const { return child_->pid(); }
  std::vector<pid_t> tids() const { return ptk::list_tasks(pid()).value_or(std::vector<pid_t>{}); }

  // One byte in, the next "count K" line out.
  void step() {
    send();
    expect_line();
  }
  void send() {
    ++count_;
    ASSERT_TRUE(write_byte(in_.write_end.get()));
  }
  void expect_line() {
    EXPECT_EQ(read_line(out_.read_end.get()), "count " + std::to_string(count_));
  }

  // Every thread stopped: 't' while a tracer holds it, 'T' untraced. A byte sent before this
  // would have woken a running process (then 'R' or 'S'); nothing was written.
  void expect_stopped(std::string_view states) {
    auto all = tids();
    ASSERT_EQ(all.size(), kWorkers + 1u);
    for (pid_t tid : all) {
      EXPECT_NE(states.find(settled_state(tid)), std::string_view::npos) << "thread " << tid;
    }
    EXPECT_FALSE(readable_now(out_.read_end.get()));
  }

  void expect_untraced() {
    for (pid_t tid : tids()) {
      auto st = ptk::read_status(tid);
      ASSERT_TRUE(st.ok());
      EXPECT_EQ(st->tracer_pid, 0) << "thread " << tid;
    }
  }

  void finish() {
    in_.write_end.reset();
    EXPECT_EQ(read_line(out_.read_end.get()), "done");
    EXPECT_EQ(describe_status(child_->wait()), "exited with 0");
  }

  // ptk SUBCOMMAND ARGS -p PID, once it says it attached.
  std::unique_ptr<BackgroundPtk> attach(std::vector<std::string> args) {
    args.push_back("-p");
    args.push_back(std::to_string(pid()));
    auto ptk = std::make_unique<BackgroundPtk>(args);
    auto line = ptk->wait_err("attached");
    EXPECT_TRUE(line.has_value()) << ptk->rest_of_err();
    return ptk;
  }

  // SIGINT: ptk lets go, says so, and ends without another word on stderr: trace as strace
  // (dying of the signal), the other subcommands as gdb (exit 0).
  void detach(BackgroundPtk& ptk, std::string_view subcommand) {
    ptk.kill(SIGINT);
    std::string err = ptk.rest_of_err();
    EXPECT_EQ(describe_status(ptk.wait()),
              subcommand == "trace" ? "killed by SIGINT" : "exited with 0")
        << err;
    EXPECT_EQ(err, fmt::format("ptk {}: Process {} detached\n", subcommand, pid()));
    expect_untraced();
  }

  // Stopped before, while and after ptk is attached; SIGCONT after detach runs it on.
  void stays_stopped(const std::vector<std::string>& args) {
    auto ptk = attach(args);
    send();  // not read while stopped
    expect_stopped("tT");
    detach(*ptk, args[0]);
    expect_stopped("T");
    ASSERT_EQ(::kill(pid(), SIGCONT), 0);
    expect_line();
    finish();
  }

  // SIGCONT while attached: it runs on traced, and after detach untraced.
  void runs_on_sigcont(const std::vector<std::string>& args) {
    auto ptk = attach(args);
    expect_stopped("tT");
    ASSERT_EQ(::kill(pid(), SIGCONT), 0);
    step();
    step();
    detach(*ptk, args[0]);
    step();
    finish();
  }

  Pipe in_ = make_pipe(), out_ = make_pipe();
  std::optional<Child> child_;
  int count_ = 0;
};

TEST_P(AttachStoppedTest, TraceKeepsItStopped) { stays_stopped({"trace", "-o", "/dev/null"}); }
TEST_P(AttachStoppedTest, TraceLetsItRunOnSigcont) {
  runs_on_sigcont({"trace", "-o", "/dev/null"});
}
TEST_P(AttachStoppedTest, BreakKeepsItStopped) { stays_stopped({"break", "write", "--count"}); }
TEST_P(AttachStoppedTest, BreakLetsItRunOnSigcont) {
  runs_on_sigcont({"break", "write", "--count"});
}
TEST_P(AttachStoppedTest, CallsKeepsItStopped) { stays_stopped({"calls", "-o", "/dev/null"}); }
TEST_P(AttachStoppedTest, CallsLetsItRunOnSigcont) {
  runs_on_sigcont({"calls", "-o", "/dev/null"});
}
TEST_P(AttachStoppedTest, StepKeepsItStopped) { stays_stopped({"step", "--count"}); }
TEST_P(AttachStoppedTest, StepLetsItRunOnSigcont) { runs_on_sigcont({"step", "--count"}); }

// The library: after attach, resume_all leaves the queued group-stops to their events, each of
// which resumes (listens); the process stays stopped until SIGCONT, then runs on traced.
TEST_P(AttachStoppedTest, SessionResumesTheGroupStopsOfItsAttach) {
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  ASSERT_TRUE(session.attach(pid()).ok());
  ASSERT_TRUE(session.resume_all().ok());
  for (int i = 0; i <= kWorkers; ++i) {
    auto ev = session.wait();
    ASSERT_TRUE(ev.ok()) << ev.error().message();
    ASSERT_EQ(ev->kind, EventKind::GroupStop) << describe(*ev);
    EXPECT_EQ(ev->signal, SIGSTOP);
    ptk::Status resumed = session.resume(*ev);
    ASSERT_TRUE(resumed.ok()) << resumed.error().message();
  }
  for (pid_t tid : session.process(pid())->tids) {
    EXPECT_EQ(session.thread(tid)->state, ptk::ThreadState::Listening) << tid;
  }
  send();
  expect_stopped("t");
  // SIGCONT: each thread reports it (an interrupt stop, the SIGCONT of one of them); resumed,
  // the process reads the byte it was sent.
  ASSERT_EQ(::kill(pid(), SIGCONT), 0);
  auto running = [&] {
    for (pid_t tid : session.process(pid())->tids) {
      if (session.thread(tid)->state != ptk::ThreadState::Running) return false;
    }
    return true;
  };
  bool sigcont = false;
  while (!sigcont || !running()) {
    auto ev = session.wait();
    ASSERT_TRUE(ev.ok()) << ev.error().message();
    sigcont = sigcont || (ev->kind == EventKind::Signal && ev->signal == SIGCONT);
    ASSERT_TRUE(session.resume(*ev).ok()) << describe(*ev);
  }
  expect_line();
  ASSERT_TRUE(session.detach(pid()).ok());
  expect_untraced();
  step();
  finish();
}

INSTANTIATE_TEST_SUITE_P(Bits, AttachStoppedTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
