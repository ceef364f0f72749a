// How a traced process ended under an operation -- killed in the middle of a step, a
// breakpoint hit, an injection -- told as what happened ("process 12 (prog) was killed by
// SIGKILL"), with the status a shell would see, instead of the call that failed because of it
// (Session::wait_for_end).
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "ptk/base/error.h"
#include "ptk/core/session.h"
#include "ptk/core/wait_status.h"

namespace ptk::engine {

// "process 12 (prog) was killed by SIGKILL", "process 12 (prog) exited with 3"; `name` may be
// empty.
std::string describe_end(pid_t pid, std::string_view name, const WaitStatus& end);

// The status a tool passes on for that end: the exit code, or 128 + the signal.
int end_code(const WaitStatus& end);

// When `error` came from the process ending under us (it is TraceeGone, or the traced process
// is ending), waits for the end and returns it; nullopt when the error is the operation's own
// (also for a program that ended by itself before what the operation waited for).
std::optional<WaitStatus> ended_under_us(Session& session, pid_t pid, const Error& error);

// The name to call a process by: /proc/PID/comm ("" when it cannot be read).
std::string process_name(pid_t pid);

}  // namespace ptk::engine
