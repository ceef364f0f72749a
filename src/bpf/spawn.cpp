// The traced set's first members: a command ptk starts, or running processes.
#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "impl.h"
#include "prog/thread.h"

namespace ptk::bpf {

namespace {

bool executable_file(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

// argv[0] as execve needs it: searched in PATH when it has no '/', as a shell would. Searched
// here, before the fork, so that the command's one execve is the traced one.
Result<std::string> resolve(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path_env = std::getenv("PATH");
  std::string_view path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    std::size_t colon = path.find(':');
    std::string_view dir = path.substr(0, colon);
    std::string candidate = fmt::format("{}/{}", dir.empty() ? "." : dir, name);
    if (executable_file(candidate)) return candidate;
    if (colon == std::string_view::npos) break;
    path.remove_prefix(colon + 1);
  }
  return Error(ErrorKind::NotFound, fmt::format("cannot find the command '{}' in PATH", name));
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

ssize_t read_retrying(int fd, void* buf, std::size_t size) {
  ssize_t n;
  do n = ::read(fd, buf, size);
  while (n < 0 && errno == EINTR);
  return n;
}

// The thread ids of process `pid` (/proc/PID/task), or none when it is gone.
std::vector<pid_t> threads_of(pid_t pid) {
  std::vector<pid_t> tids;
  DIR* dir = ::opendir(fmt::format("/proc/{}/task", pid).c_str());
  if (dir == nullptr) return tids;
  while (dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    long tid = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0' && tid > 0) tids.push_back(static_cast<pid_t>(tid));
  }
  ::closedir(dir);
  return tids;
}

}  // namespace

Result<pid_t> Backend::spawn(const std::vector<std::string>& argv,
                             const std::vector<std::string>& env) {
  Impl& impl = *impl_;
  if (impl.child > 0) return Error(ErrorKind::InvalidArgument, "eBPF tracing: a second command");
  if (argv.empty()) return Error(ErrorKind::InvalidArgument, "eBPF tracing: no command");
  auto path = resolve(argv[0]);
  if (!path) return path.error();
  std::vector<char*> args = c_strings(argv);
  std::vector<char*> envp = c_strings(env);

  int go[2];
  int report[2];
  if (::pipe2(go, O_CLOEXEC) != 0) return Error::from_errno(errno, "pipe2");
  if (::pipe2(report, O_CLOEXEC) != 0) {
    int err = errno;
    ::close(go[0]);
    ::close(go[1]);
    return Error::from_errno(err, "pipe2");
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    // Only async-signal-safe calls from here. The syscalls before the go-ahead's execve are
    // not reported (PTK_THREAD_WAIT_EXEC); a failed execve is, then the report and _exit.
    // The command starts with no signal blocked, whatever ptk blocks for itself.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    char go_ahead = 0;
    if (read_retrying(go[0], &go_ahead, 1) == 1) {
      ::execve(path->c_str(), args.data(), envp.data());
      int err = errno;
      if (::write(report[1], &err, sizeof err) < 0) _exit(126);
    }
    _exit(127);
  }
  int fork_errno = errno;
  ::close(go[0]);
  ::close(report[1]);
  if (pid < 0) {
    ::close(go[1]);
    ::close(report[0]);
    return Error::from_errno(fork_errno, "fork");
  }
  if (auto ok = impl.track(pid, PTK_THREAD_WAIT_EXEC); !ok) {
    ::close(go[1]);  // the child reads the end and exits
    ::close(report[0]);
    ::waitpid(pid, nullptr, 0);
    return ok.error();
  }
  impl.child = pid;
  char go_ahead = 'g';
  ssize_t written = ::write(go[1], &go_ahead, 1);
  ::close(go[1]);
  int err = 0;
  // EOF: the execve succeeded and closed the pipe; an int: it failed with that errno.
  if (written == 1 && read_retrying(report[0], &err, sizeof err) == sizeof err) {
    impl.exec_errno = err;
  }
  ::close(report[0]);
  return pid;
}

Result<void> Backend::attach(const std::vector<pid_t>& pids) {
  Impl& impl = *impl_;
  bool follow = impl.follow_forks;
  std::vector<pid_t> tids;
  for (pid_t pid : pids) {
    // /proc/N exists for a thread id too: strace -p takes one.
    if (pid <= 0 || ::access(fmt::format("/proc/{}", pid).c_str(), F_OK) != 0) {
      return Error(ErrorKind::NoSuchProcess, fmt::format("attaching to {}", pid), ESRCH);
    }
    if (!follow) {
      tids.push_back(pid);
      continue;
    }
    std::vector<pid_t> threads = threads_of(pid);
    if (threads.empty()) threads.push_back(pid);
    tids.insert(tids.end(), threads.begin(), threads.end());
  }
  for (pid_t tid : tids) {
    if (auto ok = impl.track(tid, 0); !ok) {
      for (pid_t added : tids) impl.untrack(added);
      return ok.error();
    }
  }
  if (follow) {
    // Threads started while the first pass ran: the fork tracepoint adds those created after.
    for (pid_t pid : pids) {
      for (pid_t tid : threads_of(pid)) (void)impl.track(tid, 0);
    }
  }
  return {};
}

}  // namespace ptk::bpf
