#include "attach_errors.h"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>

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
  if (!process_exists(pid)) {
    return Error(ErrorKind::NoSuchProcess, fmt::format("attach {}", pid), ESRCH,
                 fmt::format("no process with pid {}", pid));
  }
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
  if (st->tracer_pid != 0) {
    std::string tracer = fmt::format("pid {}", st->tracer_pid);
    if (auto t = read_status(st->tracer_pid); t.ok()) tracer = describe(st->tracer_pid, *t);
    return Error(ErrorKind::AlreadyTraced, error.call(), err,
                 fmt::format("{} is already traced by {}; a process has one tracer at a time: "
                             "detach that tracer first",
                             describe(tid, *st), tracer));
  }
  if (st->ppid == 2 || tid == 2) {
    return Error(ErrorKind::PermissionDenied, error.call(), err,
                 fmt::format("{} is a kernel thread, which cannot be traced", describe(tid, *st)));
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
