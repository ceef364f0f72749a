// pidfd_getfd(2): the target descriptor belongs to the process the pidfd refers to, whose pid
// its fdinfo names; with -y it shows that process's path of the descriptor, as strace does.
#include <fstream>
#include <string>

#include "desc_util.h"

namespace ptk::sys::desc {
namespace {

// The pid (in /proc's namespace) of the process a tracee's pidfd refers to, or 0.
std::int32_t pidfd_pid(DecodeCtx& ctx, std::int32_t pidfd) {
  if (pidfd < 0) return 0;
  pid_t pid = ctx.syscall().pid;
  if (ctx.options().pidns != nullptr) pid = ctx.options().pidns->proc_pid(pid);
  std::ifstream in("/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(pidfd));
  std::string line;
  while (std::getline(in, line)) {
    if (!line.starts_with("Pid:\t")) continue;
    try {
      return std::stoi(line.substr(5));
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

}  // namespace

void decode_pidfd_getfd(DecodeCtx& ctx) {
  if (ctx.exiting()) return;
  auto pidfd = static_cast<std::int32_t>(ctx.u(0));
  auto target = static_cast<std::int32_t>(ctx.u(1));
  ctx.arg(0);
  ctx.fd(pidfd);
  ctx.arg(1);
  std::int32_t pid = ctx.options().fd_paths ? pidfd_pid(ctx, pidfd) : 0;
  if (pid > 0 && target >= 0) {
    ctx.out().fd(target, ctx.fd_path_of(pid, target));
  } else {
    ctx.out().int_(target);
  }
  ctx.arg(2);
  ctx.out().hex(static_cast<std::uint32_t>(ctx.u(2)));
}

}  // namespace ptk::sys::desc
