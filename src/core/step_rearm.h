// arm64's single-step state after a stepped syscall (see step_rearm.cpp).
#pragma once

#include <sys/types.h>

#include "ptk/base/result.h"

namespace ptk::detail {

// At the report of a single-stepped syscall instruction: makes the thread's next
// PTRACE_SINGLESTEP run one instruction. A no-op on x86, where it does already.
Status rearm_step_after_syscall(pid_t tid);

}  // namespace ptk::detail
