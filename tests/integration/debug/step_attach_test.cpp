// Stepping an attached process and letting it go: it must run on unharmed (not stopped, not
// killed by a leftover SIGTRAP), whether stepping ended at --max, or was stopped while a step
// was blocked in a syscall.
#include <pthread.h>

#include <atomic>
#include <csignal>
#include <thread>

#include "ptk/debug/stepper.h"
#include "test_util.h"

namespace ptk_test {
namespace {

// An echo tracee (tests/tracees/step_echo.c) with pipes to its stdin and stdout.
struct Echo {
  explicit Echo(bool block)
      : in(make_pipe()),
        out(make_pipe()),
        child(block ? std::vector<std::string>{tracee_path("step_echo", 64), "block"}
                    : std::vector<std::string>{tracee_path("step_echo", 64)},
              in.read_end.get(), out.write_end.get()) {
    out.write_end.reset();
    in.read_end.reset();
  }
  // The tracee answers: it runs, and was neither left stopped nor killed.
  void expect_alive() {
    ASSERT_TRUE(write_byte(in.write_end.get(), 'z'));
    char c = 0;
    ASSERT_EQ(::read(out.read_end.get(), &c, 1), 1);
    EXPECT_EQ(c, 'z');
  }
  void expect_clean_exit() {
    in.write_end.reset();  // EOF: the echo loop ends
    EXPECT_EQ(describe_status(child.wait()), "exited with 0");
  }
  Pipe in, out;
  Child child;
};

TEST(StepAttachTest, CliStepsAnAttachedProcessAndDetaches) {
  Echo echo(false);
  ASSERT_EQ(read_line(echo.out.read_end.get()), "ready");
  std::string pid = std::to_string(echo.child.pid());
  CommandResult r = run_command({PTK_CLI, "step", "--count", "--max", "2000", "-p", pid});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.out, "2000\n");
  EXPECT_TRUE(contains(r.err, "Process " + pid + " attached")) << r.err;
  EXPECT_TRUE(contains(r.err, "Process " + pid + " detached")) << r.err;
  echo.expect_alive();
  echo.expect_clean_exit();
}

TEST(StepAttachTest, SameCpuRestoresTheThreadsAffinity) {
  Echo echo(false);
  ASSERT_EQ(read_line(echo.out.read_end.get()), "ready");
  pid_t pid = echo.child.pid();
  cpu_set_t before, after;
  ASSERT_EQ(::sched_getaffinity(pid, sizeof before, &before), 0);
  CommandResult r = run_command(
      {PTK_CLI, "step", "--same-cpu", "--count", "--max", "1000", "-p", std::to_string(pid)});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(r.out, "1000\n");
  ASSERT_EQ(::sched_getaffinity(pid, sizeof after, &after), 0);
  EXPECT_TRUE(CPU_EQUAL(&before, &after))
      << CPU_COUNT(&before) << " CPUs before, " << CPU_COUNT(&after) << " after";
  echo.expect_alive();
  echo.expect_clean_exit();
}

TEST(StepAttachTest, CliPrintsInstructionsOfAnAttachedProcess) {
  Echo echo(false);
  ASSERT_EQ(read_line(echo.out.read_end.get()), "ready");
  std::string pid = std::to_string(echo.child.pid());
  CommandResult r = run_command({PTK_CLI, "step", "--max", "50", "-p", pid});
  EXPECT_EQ(describe_status(r.status), "exited with 0") << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 50) << r.out;
  echo.expect_alive();
  echo.expect_clean_exit();
}

volatile std::sig_atomic_t g_stop_stepping = 0;
void on_wake(int) {}

// A step of a `read` that blocks: the stepper's wait is interrupted (as by Ctrl-C), release()
// ends the step in flight, and after detach the read goes on as if nothing had happened.
TEST(StepAttachTest, ReleaseEndsAStepBlockedInASyscall) {
  Echo echo(true);
  ASSERT_EQ(read_line(echo.out.read_end.get()), "ready");
  pid_t pid = echo.child.pid();
  // A signal that interrupts waitpid (no SA_RESTART) without ending the test.
  struct sigaction sa {
  }, old{};
  sa.sa_handler = on_wake;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGUSR2, &sa, &old);
  g_stop_stepping = 0;
  {
    ptk::WaitPolicy policy{.spin_us = 0, .adaptive = true, .interrupt = &g_stop_stepping};
    ptk::Session session({.syscall_stops = ptk::SyscallStops::None, .wait_policy = policy});
    ASSERT_TRUE(session.attach(pid).ok());
    ptk::debug::Stepper stepper(session);
    pthread_t me = ::pthread_self();
    // Once the tracee sleeps in read while being stepped, stop stepping. A sleeping thread
    // shows 'S'; before the step it is 't' (traced stop) and while stepping 'R'.
    std::atomic<bool> stepping{false}, done{false};
    std::thread waker([&] {
      while (!stepping.load()) std::this_thread::yield();
      while (proc_state(pid) != 'S') std::this_thread::yield();
      g_stop_stepping = 1;
      // Again until the stepper returns: one signal could land just before its waitpid.
      while (!done.load()) {
        ::pthread_kill(me, SIGUSR2);
        std::this_thread::yield();
      }
    });
    stepping = true;
    auto outcome = stepper.step(pid, {.max_steps = 0, .stop = &g_stop_stepping});
    done = true;
    waker.join();
    ASSERT_TRUE(outcome.ok()) << outcome.error().message();
    EXPECT_EQ(outcome->end, ptk::debug::StepEnd::Stopped);
    ASSERT_TRUE(stepper.release(pid).ok());
    ASSERT_TRUE(session.detach(pid).ok());
  }
  ::sigaction(SIGUSR2, &old, nullptr);
  EXPECT_NE(settled_state(pid), 't');
  echo.expect_alive();
  echo.expect_clean_exit();
}

// Starts argv (argv[0] a path) with stdout and stderr to the given pipes' write ends.
pid_t start_with_output(const std::vector<std::string>& argv, int out_fd, int err_fd) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    close_inherited_fds();
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

TEST(StepAttachTest, CliInterruptedWhileBlockedDetachesCleanly) {
  Echo echo(true);
  ASSERT_EQ(read_line(echo.out.read_end.get()), "ready");
  std::string pid = std::to_string(echo.child.pid());
  Pipe out = make_pipe(), err = make_pipe();
  pid_t ptk = start_with_output({PTK_CLI, "step", "--count", "-p", pid}, out.write_end.get(),
                                err.write_end.get());
  out.write_end.reset();
  err.write_end.reset();
  // Its handlers are in place once it says it attached; then Ctrl-C, as a user would, again
  // until it ends (one SIGINT could land just before a blocking waitpid).
  EXPECT_EQ(read_line(err.read_end.get()), "ptk step: Process " + pid + " attached");
  int status = 0;
  while (::waitpid(ptk, &status, WNOHANG) == 0) {
    ::kill(ptk, SIGINT);
    std::this_thread::yield();
  }
  EXPECT_EQ(describe_status(status), "exited with 0");
  EXPECT_TRUE(contains(read_all(err.read_end.get()), "Process " + pid + " detached"));
  std::string counted = read_all(out.read_end.get());
  EXPECT_FALSE(counted.empty());
  EXPECT_NE(settled_state(echo.child.pid()), 't');
  echo.expect_alive();
  echo.expect_clean_exit();
}

}  // namespace
}  // namespace ptk_test
