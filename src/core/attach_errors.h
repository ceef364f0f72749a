// Turning a refused attach into a message a user can act on.
#pragma once

#include <sys/types.h>

#include "ptk/base/result.h"

namespace ptk::detail {

// Refuses targets ptrace cannot or must not take: ourselves, a bad pid, a missing process,
// one this session already holds, one that has exited (a zombie), a kernel thread.
Status check_attach_target(pid_t pid, bool already_ours);

// Adds the cause and the cure to an error of PTRACE_SEIZE on `tid` (who owns it, Yama, ...).
Error explain_attach_error(pid_t tid, const Error& error);

}  // namespace ptk::detail
