#include "attach_errors.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <string>

#include "ptk/core/proc.h"

namespace ptk::detail {
namespace {

std::string user_name(uid_t uid) {
  if (passwd* pw = ::getpwuid(uid)) return fmt::format("{} (uid {})", pw->pw_name, uid);
  return fmt::format("uid {}", uid);
}

std::string describe(pid_t pid, const ProcStatus& st) {
  return fmt::format("process {} ({})", pid, st.name);
}

// What makes a process that exists impossible to attach, whatever the permissions: it has
// already exited (a zombie waiting to be reaped, or dead and being released), or it is a
// kernel thread. PTRACE_SEIZE refuses all three with EPERM (ptrace_attach: exit_state,
// PF_KTHREAD), which would otherwise read as a permission problem.
std::optional<Error> unattachable(pid_t pid, const ProcStatus& st, const std::string& call) {
  // A multi-threaded process whose main thread alone has exited shows 'Z' too, but lives on.
  if ((st.state == 'Z' && st.threads <= 1) || st.state == 'X') {
    return Error(ErrorKind::NoSuchProcess, call, 0,
                 fmt::format("{} is a zombie: it has exited, and its parent (pid {}) has not "
                             "reaped it yet; there is nothing left to attach to",
                             describe(pid, st), st.ppid));
  }
  if (st.state == 'Z') {
    return Error(ErrorKind::Unsupported, call, 0,
                 fmt::format("the main thread of {} has exited (a zombie) while {} other threads "
                             "run on; ptk attaches a process through its main thread",
                             describe(pid, st), st.threads - 1));
  }
  if (is_kernel_thread(pid)) {
    return Error(ErrorKind::Unsupported, call, 0,
                 fmt::format("{} is a kernel thread: it has no user registers or memory, and "
                             "cannot be traced",
                             describe(pid, st)));
  }
  return std::nullopt;
}

}  // namespace

Status check_attach_target(pid_t pid, bool already_ours) {
  if (pid <= 0) {
    return Error(ErrorKind::InvalidArgument, fmt::format("attach {}", pid), 0,
                 "a process id is a positive number");
  }
  if (pid == ::getpid() || pid == ::gettid()) {
    return Error(ErrorKind::InvalidArgument, fmt::format("attach {}", pid), 0,
                 "that is ptk itself; a process cannot trace itself");
  }
  if (already_ours) {
    return Error(ErrorKind::AlreadyTraced, fmt::format("attach {}", pid), 0,
                 "this session already traces it");
  }
  std::string call = fmt::format("attach {}", pid);
  auto st = read_status(pid);
  if (!st.ok()) {
    return Error(ErrorKind::NoSuchProcess, call, ESRCH, fmt::format("no process with pid {}", pid));
  }
  if (auto refused = unattachable(pid, *st, call)) return *refused;
  return ok_status();
}

Error explain_attach_error(pid_t tid, const Error& error) {
  int err = error.error_number();
  if (err == ESRCH) {
    return Error(ErrorKind::NoSuchProcess, error.call(), err,
                 fmt::format("process {} exited", tid));
  }
  if (err != EPERM) return error;
  auto st = read_status(tid);
  if (!st.ok()) {
    return Error(ErrorKind::NoSuchProcess, error.call(), ESRCH,
                 fmt::format("process {} exited", tid));
  }
  // It exited between the check and the seize.
  if (auto refused = unattachable(tid, *st, error.call())) return *refused;
  if (st->tracer_pid != 0) {
    std::string tracer = fmt::format("pid {}", st->tracer_pid);
    if (auto t = read_status(st->tracer_pid); t.ok()) tracer = describe(st->tracer_pid, *t);
    return Error(ErrorKind::AlreadyTraced, error.call(), err,
                 fmt::format("{} is already traced by {}; a process has one tracer at a time: "
                             "detach that tracer first",
                             describe(tid, *st), tracer));
  }
  uid_t me = ::geteuid();
  if (me != 0 && st->uid[0] != me) {
    return Error(ErrorKind::PermissionDenied, error.call(), err,
                 fmt::format("{} belongs to {} and you are {}; run ptk as that user or as root",
                             describe(tid, *st), user_name(st->uid[0]), user_name(me)));
  }
  std::optional<int> scope = yama_ptrace_scope();
  if (scope && *scope == 1 && me != 0) {
    return Error(ErrorKind::PermissionDenied, error.call(), err,
                 "Yama ptrace_scope is 1: only a parent may trace its descendants; run as root, "
                 "or allow it with `sysctl kernel.yama.ptrace_scope=0`");
  }
  if (scope && *scope == 2 && me != 0) {
    return Error(ErrorKind::PermissionDenied, error.call(), err,
                 "Yama ptrace_scope is 2: only root (CAP_SYS_PTRACE) may attach");
  }
  if (scope && *scope == 3) {
    return Error(ErrorKind::PermissionDenied, error.call(), err,
                 "Yama ptrace_scope is 3: attaching is disabled until reboot");
  }
  return Error(ErrorKind::PermissionDenied, error.call(), err,
               me == 0
                   ? "refused even to root: a security module (SELinux, AppArmor) or a "
                     "seccomp filter forbids it"
                   : fmt::format("{} may be non-dumpable (setuid, or PR_SET_DUMPABLE 0); run as "
                                 "root",
                                 describe(tid, *st)));
}

}  // namespace ptk::detail
