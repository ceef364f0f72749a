// Helpers for the integration tests: where the tracee programs and examples are, pipes, running
// a command to its end, children the test starts itself (untraced), and driving a Session.
//
// Every helper synchronises through pipes or wait statuses, never through timing.
#pragma once

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "host_skip.h"
#include "ptk/arch/syscalls.h"
#include "ptk/base/unique_fd.h"
#include "ptk/core/host.h"
#include "ptk/core/proc.h"
#include "ptk/core/session.h"
#include "ptk/core/wait_status.h"

namespace ptk_test {

// How much slower than native this machine runs the tests: PTK_TEST_TIME_SCALE (default 1).
// The VM lane sets it (software emulation runs 25-30x slower); nothing else should need it.
inline unsigned time_scale() {
  const char* text = std::getenv("PTK_TEST_TIME_SCALE");
  unsigned long scale = text != nullptr ? std::strtoul(text, nullptr, 10) : 1;
  return scale >= 1 && scale <= 1000 ? static_cast<unsigned>(scale) : 1;
}

// Kills the test process (SIGALRM) when one test runs longer than this: a hung test fails
// with a clear signal instead of blocking a whole run of the binary. It applies to every test
// of the binary, and fires before ctest's timeout (120 s in scripts/test.sh, scaled likewise in
// the VM lane), so that a hang reads as SIGALRM.
inline constexpr unsigned kWatchdogSeconds = 100;

class WatchdogListener : public ::testing::EmptyTestEventListener {
  void OnTestStart(const ::testing::TestInfo&) override { ::alarm(kWatchdogSeconds * scale_); }
  void OnTestEnd(const ::testing::TestInfo&) override { ::alarm(0); }
  unsigned scale_ = time_scale();
};
inline const bool kWatchdogInstalled = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new WatchdogListener);
  return true;
}();

// The fixture of tests run once per tracee ABI: GetParam() is 64 or 32. The 32-bit case skips
// where the host cannot run i386 programs. A subclass with a SetUp of its own calls
// BitsTest::SetUp() first and returns if IsSkipped().
class BitsTest : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override { PTK_REQUIRE_BITS(GetParam()); }
};

// Why the tracee NAME is not built for this target, or "": int80 is written around x86's
// instructions (tests/tracees/CMakeLists.txt).
inline std::string missing_tracee(std::string_view name) {
#if defined(__x86_64__)
  (void)name;
  return {};
#else
  // int80 is built for x86 alone (tests/tracees/CMakeLists.txt): its point is `int $0x80`.
  if (name == "int80") return "x86-only: the tracee int80 enters the kernel by int $0x80";
  return {};
#endif
}
#define PTK_REQUIRE_TRACEE(name)                                                           \
  if (std::string ptk_missing_ = ::ptk_test::missing_tracee(name); ptk_missing_.empty()) { \
  } else                                                                                   \
    GTEST_SKIP() << ptk_missing_

// The ABI of a tracee of `bits` bits on this host: x86_64 or i386, or aarch64 (64 only).
inline ptk::Arch arch_of_bits(int bits) {
  return bits == 64 ? ptk::kHostArches[0] : ptk::Arch::I386;
}

// A tracee program of tests/tracees, built as NAME_64 and NAME_32.
inline std::string tracee_path(std::string_view name, int bits) {
  return fmt::format("{}/{}_{}", PTK_TRACEE_DIR, name, bits);
}

inline std::string example_path(std::string_view name) {
  return fmt::format("{}/{}", PTK_EXAMPLES_DIR, name);
}

struct Pipe {
  ptk::UniqueFd read_end;
  ptk::UniqueFd write_end;
};

// Both ends close on exec: a child gets only the ends dup2'd onto its stdin/stdout.
inline Pipe make_pipe() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    std::perror("pipe2");
    std::abort();
  }
  return Pipe{ptk::UniqueFd(fds[0]), ptk::UniqueFd(fds[1])};
}

inline bool write_byte(int fd, char byte = 'x') { return ::write(fd, &byte, 1) == 1; }

// One line without its '\n' (blocking); nullopt at EOF before any byte.
inline std::optional<std::string> read_line(int fd) {
  std::string line;
  for (;;) {
    char c = 0;
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return line.empty() ? std::nullopt : std::optional(line);
    if (c == '\n') return line;
    line += c;
  }
}

// Everything up to EOF.
inline std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// Whether a read would return data (or EOF) right now.
inline bool readable_now(int fd) {
  pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
  return ::poll(&p, 1, 0) == 1;
}

inline int wait_child(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, __WALL) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

// For EXPECT_TRUE(contains(message, "pid 42")): says what was looked for, and in what.
inline ::testing::AssertionResult contains(std::string_view text, std::string_view part) {
  if (text.find(part) != std::string_view::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << text << "\" does not contain \"" << part << "\"";
}

// "exited with 3", "killed by SIGTERM": for comparing how processes ended.
inline std::string describe_status(int status) { return ptk::WaitStatus(status).describe(); }

// The lines of a file (a trace written with -o).
inline std::vector<std::string> read_lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A file name for one trace output of this test process, removed at the end of the scope.
class TempFile {
 public:
  explicit TempFile(std::string_view tag) {
    path_ = fmt::format("/tmp/ptk-{}-{}-{}", tag, ::getpid(), counter_++);
  }
  ~TempFile() { ::unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

// A child the test starts gets stdin, stdout and stderr only, whatever the test runner left
// open (ctest leaks a descriptor into its tests): tracees and traces expect their first open
// file to be fd 3.
inline void close_inherited_fds() { ::syscall(SYS_close_range, 3, ~0U, 0); }

// Whether this process has no child left (not even a zombie): waitpid says ECHILD.
inline bool has_no_children() {
  int status = 0;
  return ::waitpid(-1, &status, __WALL | WNOHANG) == -1 && errno == ECHILD;
}

// A process the test starts itself, untraced: argv[0] is a path; stdin/stdout/stderr are the
// given fds (-1: inherited). The destructor kills and reaps it unless wait() already did.
class Child {
 public:
  Child(const std::vector<std::string>& argv, int stdin_fd = -1, int stdout_fd = -1,
        int stderr_fd = -1) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      if (stdin_fd >= 0) ::dup2(stdin_fd, 0);
      if (stdout_fd >= 0) ::dup2(stdout_fd, 1);
      if (stderr_fd >= 0) ::dup2(stderr_fd, 2);
      close_inherited_fds();
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait_child(pid_);
    }
  }

  pid_t pid() const { return pid_; }
  void kill(int sig) { ::kill(pid_, sig); }
  // Waits for the end of the child; returns its wait status.
  int wait() {
    int status = wait_child(pid_);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
};

struct CommandResult {
  std::string out;
  std::string err;
  int status = -1;  // raw wait status
};

// Runs argv (argv[0] a path) with stdin from /dev/null until it ends, capturing its output.
inline CommandResult run_command(const std::vector<std::string>& argv) {
  Pipe out = make_pipe(), err = make_pipe();
  ptk::UniqueFd null(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(null.get(), 0);
    ::dup2(out.write_end.get(), 1);
    ::dup2(err.write_end.get(), 2);
    close_inherited_fds();
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  out.write_end.reset();
  err.write_end.reset();
  CommandResult result;
  pollfd fds[2] = {{out.read_end.get(), POLLIN, 0}, {err.read_end.get(), POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  result.status = wait_child(pid);
  return result;
}

// Spawns argv under the session with the given fds as the tracee's stdin and stdout (-1: the
// test's own).
inline ptk::Result<pid_t> spawn_with_stdio(ptk::Session& session, std::vector<std::string> argv,
                                           int stdin_fd = -1, int stdout_fd = -1) {
  ptk::SpawnOptions options{.argv = std::move(argv)};
  options.child_setup = [stdin_fd, stdout_fd] {
    if (stdin_fd >= 0) ::dup2(stdin_fd, 0);
    if (stdout_fd >= 0) ::dup2(stdout_fd, 1);
  };
  return session.spawn(options);
}

// One line per event, for failure messages.
inline std::string describe(const ptk::Event& ev) {
  std::string out = fmt::format("{} tid={} pid={}", ptk::to_string(ev.kind), ev.tid, ev.pid);
  switch (ev.kind) {
    case ptk::EventKind::SyscallEntry:
    case ptk::EventKind::SyscallExit:
      out += fmt::format(" {} nr={} ret={}", ptk::to_string(ev.syscall.arch), ev.syscall.nr,
                         ev.syscall.ret);
      break;
    case ptk::EventKind::Signal:
    case ptk::EventKind::GroupStop:
    case ptk::EventKind::Trap:
    case ptk::EventKind::Killed:
      out += " " + ptk::signal_name(ev.signal);
      break;
    case ptk::EventKind::Fork:
    case ptk::EventKind::Vfork:
    case ptk::EventKind::Clone:
      out += fmt::format(" new_tid={}", ev.new_tid);
      break;
    case ptk::EventKind::Exec:
      out += fmt::format(" old_tid={}", ev.old_tid);
      break;
    case ptk::EventKind::Exited:
      out += fmt::format(" code={}", ev.exit_code);
      break;
    default:
      break;
  }
  return out;
}

inline std::string describe(const std::vector<ptk::Event>& events) {
  std::string out;
  for (const ptk::Event& ev : events) out += describe(ev) + "\n";
  return out;
}

// The exit of a write(1, ...) that wrote something: its bytes are in the tracee's stdout.
inline bool is_stdout_write_exit(const ptk::Event& e) {
  if (e.kind != ptk::EventKind::SyscallExit || e.syscall.args[0] != 1 || e.syscall.ret <= 0) {
    return false;
  }
  const ptk::SyscallSpec* spec = ptk::find_syscall(e.syscall.arch, e.syscall.nr);
  return spec != nullptr && spec->name == "write";
}

// Resumes the thread of an event. A thread can vanish while it is stopped (when another
// thread execs, the kernel kills every other thread of the process), so TraceeGone is not a
// failure: the session learns of it from the events that follow.
inline bool resume_event(ptk::Session& session, const ptk::Event& ev) {
  ptk::Status s = session.resume(ev);
  if (s.ok() || s.error().kind() == ptk::ErrorKind::TraceeGone) return true;
  ADD_FAILURE() << "resume after " << describe(ev) << ": " << s.error().message();
  return false;
}

// Waits for events, resuming each in its default way, until one satisfies `pred`; that one is
// returned without being resumed. Every event seen (that one too) is appended to `seen`.
// nullopt (and a test failure) when the session runs out of tracees first.
inline std::optional<ptk::Event> wait_until(ptk::Session& session,
                                            const std::function<bool(const ptk::Event&)>& pred,
                                            std::vector<ptk::Event>* seen = nullptr) {
  for (;;) {
    auto ev = session.wait();
    if (!ev.ok()) {
      ADD_FAILURE() << "wait: " << ev.error().message()
                    << (seen ? "\nevents so far:\n" + describe(*seen) : "");
      return std::nullopt;
    }
    if (seen) seen->push_back(*ev);
    if (pred(*ev)) return *ev;
    if (!resume_event(session, *ev)) return std::nullopt;
  }
}

// Resumes every event until nothing is traced any more; returns the events seen.
inline std::vector<ptk::Event> run_to_end(ptk::Session& session) {
  std::vector<ptk::Event> events;
  while (!session.empty()) {
    auto ev = session.wait();
    if (!ev.ok()) {
      ADD_FAILURE() << "wait: " << ev.error().message() << "\nevents so far:\n" << describe(events);
      break;
    }
    events.push_back(*ev);
    if (!resume_event(session, *ev)) break;
  }
  return events;
}

// The last Exited/Killed event of `pid`'s thread group leader, as a wait-status-like string.
inline std::string how_ended(const std::vector<ptk::Event>& events, pid_t pid) {
  for (auto it = events.rbegin(); it != events.rend(); ++it) {
    if (it->tid != pid) continue;
    if (it->kind == ptk::EventKind::Exited) return fmt::format("exited with {}", it->exit_code);
    if (it->kind == ptk::EventKind::Killed) {
      return fmt::format("killed by {}{}", ptk::signal_name(it->signal),
                         it->core_dumped ? " (core dumped)" : "");
    }
  }
  return "still running";
}

// Reads a field of /proc/PID/stat: the one-letter state ('R', 'S', 'T', 't', ...).
inline char proc_state(pid_t tid) {
  auto stat = ptk::read_proc_file(tid, "stat");
  if (!stat.ok()) return '?';
  std::size_t paren = stat->rfind(')');
  return paren == std::string::npos || paren + 2 >= stat->size() ? '?' : (*stat)[paren + 2];
}

// The state of a thread once it is no longer running. A thread the kernel wakes only to stop
// again (a group-stopped thread after PTRACE_DETACH) passes through 'R' on its way back to
// 'T', never through a sleep: this waits on that transition, not on time.
inline char settled_state(pid_t tid) {
  for (;;) {
    char state = proc_state(tid);
    if (state != 'R') return state;
    ::sched_yield();
  }
}

}  // namespace ptk_test
