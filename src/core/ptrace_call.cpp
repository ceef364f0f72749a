#include "ptrace_call.h"

#include <fmt/format.h>

#include <cerrno>

namespace ptk::detail {

const char* request_name(int request) {
  switch (request) {
    case PTRACE_TRACEME:
      return "PTRACE_TRACEME";
    case PTRACE_PEEKDATA:
      return "PTRACE_PEEKDATA";
    case PTRACE_PEEKUSER:
      return "PTRACE_PEEKUSER";
    case PTRACE_POKEDATA:
      return "PTRACE_POKEDATA";
    case PTRACE_POKEUSER:
      return "PTRACE_POKEUSER";
    case PTRACE_CONT:
      return "PTRACE_CONT";
    case PTRACE_KILL:
      return "PTRACE_KILL";
    case PTRACE_SINGLESTEP:
      return "PTRACE_SINGLESTEP";
#if defined(__x86_64__)  // the arm64 kernel has regsets only
    case PTRACE_GETREGS:
      return "PTRACE_GETREGS";
    case PTRACE_SETREGS:
      return "PTRACE_SETREGS";
    case PTRACE_GETFPREGS:
      return "PTRACE_GETFPREGS";
    case PTRACE_SETFPREGS:
      return "PTRACE_SETFPREGS";
#endif
    case PTRACE_ATTACH:
      return "PTRACE_ATTACH";
    case PTRACE_DETACH:
      return "PTRACE_DETACH";
    case PTRACE_SYSCALL:
      return "PTRACE_SYSCALL";
    case PTRACE_SETOPTIONS:
      return "PTRACE_SETOPTIONS";
    case PTRACE_GETEVENTMSG:
      return "PTRACE_GETEVENTMSG";
    case PTRACE_GETSIGINFO:
      return "PTRACE_GETSIGINFO";
    case PTRACE_SETSIGINFO:
      return "PTRACE_SETSIGINFO";
    case PTRACE_GETREGSET:
      return "PTRACE_GETREGSET";
    case PTRACE_SETREGSET:
      return "PTRACE_SETREGSET";
    case PTRACE_SEIZE:
      return "PTRACE_SEIZE";
    case PTRACE_INTERRUPT:
      return "PTRACE_INTERRUPT";
    case PTRACE_LISTEN:
      return "PTRACE_LISTEN";
    case kPtraceGetSyscallInfo:
      return "PTRACE_GET_SYSCALL_INFO";
    default:
      return "ptrace";
  }
}

Result<long> ptrace_call(int request, pid_t tid, std::uint64_t addr, std::uint64_t data) {
  errno = 0;
  long rc = ::ptrace(static_cast<__ptrace_request>(request), tid, addr, data);
  if (rc == -1 && errno != 0) {
    int err = errno;
    std::string call = fmt::format("ptrace({}, {})", request_name(request), tid);
    if (err == ESRCH && request != PTRACE_SEIZE && request != PTRACE_ATTACH) {
      // On a thread we hold, ESRCH means it died or is no longer in a ptrace-stop.
      return Error(ErrorKind::TraceeGone, std::move(call), err);
    }
    return Error::from_errno(err, std::move(call));
  }
  return rc;
}

Result<long> ptrace_peek(pid_t tid, std::uint64_t addr) {
  errno = 0;
  long word = ::ptrace(PTRACE_PEEKDATA, tid, addr, 0);
  if (errno != 0) {
    int err = errno;
    std::string call = fmt::format("ptrace(PTRACE_PEEKDATA, {}, {:#x})", tid, addr);
    if (err == ESRCH) return Error(ErrorKind::TraceeGone, std::move(call), err);
    return Error::from_errno(err, std::move(call));
  }
  return word;
}

Result<long> ptrace_peek_user(pid_t tid, std::uint64_t offset) {
  errno = 0;
  long word = ::ptrace(PTRACE_PEEKUSER, tid, offset, 0);
  if (errno != 0) {
    int err = errno;
    std::string call = fmt::format("ptrace(PTRACE_PEEKUSER, {}, {:#x})", tid, offset);
    if (err == ESRCH) return Error(ErrorKind::TraceeGone, std::move(call), err);
    return Error::from_errno(err, std::move(call));
  }
  return word;
}

}  // namespace ptk::detail
