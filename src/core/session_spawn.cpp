// Session::spawn: fork, seize the child while it waits on a pipe, then let it exec.
//
// The child blocks in read() on a pipe until the tracer has seized it, so no instruction of
// the new program runs untraced, and PTRACE_SEIZE (not PTRACE_TRACEME) is used so that
// PTRACE_INTERRUPT and PTRACE_LISTEN work on it like on any attached process.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "ptk/arch/syscalls.h"
#include "ptk/base/unique_fd.h"
#include "ptk/core/host.h"
#include "ptk/core/session.h"
#include "ptrace_call.h"

extern char** environ;

namespace ptk {
namespace {

bool is_executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// Finds the program as execvp would, so a missing command is reported before any fork.
Result<std::string> find_command(const std::string& name) {
  if (name.empty()) return Error(ErrorKind::InvalidArgument, "spawn", 0, "empty command name");
  if (name.find('/') != std::string::npos) {
    if (::access(name.c_str(), F_OK) != 0) {
      return Error(ErrorKind::NotFound, fmt::format("spawn {}", name), ENOENT, "no such file");
    }
    if (!is_executable_file(name)) {
      return Error(ErrorKind::PermissionDenied, fmt::format("spawn {}", name), EACCES,
                   "not an executable file");
    }
    return name;
  }
  const char* path_env = std::getenv("PATH");
  std::string_view path = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    std::size_t colon = path.find(':');
    std::string dir(path.substr(0, colon));
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (is_executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return Error(ErrorKind::NotFound, fmt::format("spawn {}", name), ENOENT,
               "command not found in PATH");
}

bool is_exec_syscall(const SyscallStop& sc) {
  const SyscallSpec* spec = find_syscall(sc.arch, sc.nr);
  return spec != nullptr && (spec->name == "execve" || spec->name == "execveat");
}

}  // namespace

Result<std::string> resolve_command(const std::string& name) { return find_command(name); }

[[noreturn]] void exec_when_told(int sync_fd, int err_fd, const char* path, char* const* argv,
                                 char* const* envp, const SpawnOptions& o) {
  // Only async-signal-safe calls from here on: the tracer may have threads.
  // The go byte is awaited with every signal let through (a kill must be able to end the
  // wait); the command's own mask comes just before the exec.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : o.default_signals) signal(sig, SIG_DFL);
  for (int sig : o.ignored_signals) signal(sig, SIG_IGN);
  char go = 0;
  ssize_t got;
  while ((got = read(sync_fd, &go, 1)) < 0 && errno == EINTR) {
  }
  // No byte: the tracer is gone before it let us go. The program must not run untraced.
  if (got != 1) _exit(127);
  close(sync_fd);
  if (o.child_setup) o.child_setup();
  if (o.signal_mask) sigprocmask(SIG_SETMASK, &*o.signal_mask, nullptr);
  execve(path, argv, envp);
  int err = errno;
  (void)!write(err_fd, &err, sizeof err);
  _exit(127);
}

// Killed (by someone else: ptk does not) between the fork and the exec, or at the exec itself,
// whose event stop a SIGKILL ends before ptk sees it: the command was started, and killed.
// Its end is queued as the first event, as for a program killed a moment later.
Result<pid_t> Session::killed_at_launch(pid_t pid, int status) {
  if (std::optional<Event> ev = translate(pid, status)) queued_.push_back(*ev);
  remove_thread(pid);
  return pid;
}

Result<pid_t> Session::spawn(const SpawnOptions& o) {
  if (o.argv.empty()) return Error(ErrorKind::InvalidArgument, "spawn", 0, "no command given");
  PTK_ASSIGN_OR_RETURN(std::string path, find_command(o.argv[0]));
  std::vector<char*> argv, envp;
  for (const auto& a : o.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  if (o.env) {
    for (const auto& e : *o.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
  }
  char* const* env = o.env ? envp.data() : environ;

  int sync[2], errp[2];
  if (::pipe2(sync, O_CLOEXEC) != 0) return Error::from_errno(errno, "pipe2");
  UniqueFd sync_r(sync[0]), sync_w(sync[1]);
  if (::pipe2(errp, O_CLOEXEC) != 0) return Error::from_errno(errno, "pipe2");
  UniqueFd err_r(errp[0]), err_w(errp[1]);

  pid_t pid = ::fork();
  if (pid < 0) return Error::from_errno(errno, "fork");
  if (pid == 0) exec_when_told(sync_r.get(), err_w.get(), path.c_str(), argv.data(), env, o);
  sync_r.reset();
  err_w.reset();
  return take_launch(pid, std::move(sync_w), std::move(err_r), path, o, true);
}

Result<pid_t> Session::adopt_launch(pid_t pid, UniqueFd go, UniqueFd exec_error,
                                    const std::string& path, const SpawnOptions& o) {
  return take_launch(pid, std::move(go), std::move(exec_error), path, o, false);
}

Result<pid_t> Session::take_launch(pid_t pid, UniqueFd sync_w, UniqueFd err_r,
                                   const std::string& path, const SpawnOptions& o, bool exit_kill) {
  auto fail = [&](Error e) -> Error {
    ::kill(pid, SIGKILL);
    remove_thread(pid);
    int st = 0;
    while (::waitpid(pid, &st, __WALL) < 0 && errno == EINTR) {
    }
    return e;
  };
  if (Status s = seize(pid, /*spawned=*/true, exit_kill); !s.ok()) return fail(s.error());
  processes_[pid].program = path;
  if (o.stop_before_exec) {
    // Stop the child (it is blocked in read on the pipe) so that it can be restarted with
    // PTRACE_SYSCALL, which is what makes the execve entry stop.
    // ESRCH: killed already; the wait below reports it.
    if (auto r = detail::ptrace_call(PTRACE_INTERRUPT, pid);
        !r.ok() && r.error().kind() != ErrorKind::TraceeGone) {
      return fail(r.error());
    }
    int st = 0;
    while (::waitpid(pid, &st, __WALL) < 0 && errno == EINTR) {
    }
    if (!WIFSTOPPED(st)) return killed_at_launch(pid, st);
    threads_[pid].state = ThreadState::Stopped;
  }
  if (::write(sync_w.get(), "g", 1) != 1) return fail(Error::from_errno(errno, "write to child"));
  sync_w.reset();

  Thread& t = threads_[pid];
  if (o.stop_before_exec) {
    Status s = restart(t, Resume::Syscall, 0);
    if (!s.ok() && s.error().kind() != ErrorKind::TraceeGone) return fail(s.error());
  }
  // Run the child until the exec: with stop_before_exec to the execve entry (earlier syscalls,
  // the pipe read and child_setup's, are the tracer's own doing and not reported), otherwise
  // to the exec event. Signals that arrive meanwhile are passed on.
  for (;;) {
    int st = 0;
    // The execve entry stop is the first event wait() returns: with want_rusage it carries
    // the system time at that stop too (see Event::stime_ns), so execve's is counted.
    struct rusage usage {};
    bool want = options_.wait_policy.want_rusage;
    pid_t got = ::wait4(pid, &st, __WALL, want ? &usage : nullptr);
    if (got < 0) {
      if (errno == EINTR) continue;
      return fail(Error::from_errno(errno, "waitpid"));
    }
    if (WIFEXITED(st) || WIFSIGNALED(st)) {
      int err = 0;
      if (::read(err_r.get(), &err, sizeof err) == sizeof err) {
        remove_thread(pid);
        return exec_error(path, err);
      }
      return killed_at_launch(pid, st);
    }
    std::optional<Event> ev = translate(pid, st);
    if (!ev) continue;
    if (want) ev->stime_ns = stime_ns_of(usage);
    if (ev->kind == EventKind::Exec && !o.stop_before_exec) return pid;
    if (ev->kind == EventKind::SyscallEntry && o.stop_before_exec && is_exec_syscall(ev->syscall)) {
      threads_[pid].launching = true;
      queued_.push_back(*ev);
      return pid;
    }
    Resume how = o.stop_before_exec ? Resume::Syscall : Resume::Continue;
    int sig = ev->kind == EventKind::Signal ? ev->signal : 0;
    Status s = restart(threads_[pid], how, sig);
    if (!s.ok() && s.error().kind() != ErrorKind::TraceeGone) return fail(s.error());
  }
}

}  // namespace ptk
