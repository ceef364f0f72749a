// One line for an operation that failed because its process ended under it (see
// ptk/engine/tracee_end.h), or for its own error otherwise.
#pragma once

#include <sys/types.h>

#include <string_view>

#include "ptk/base/error.h"
#include "ptk/core/session.h"

namespace ptk::cli {

// fail(cmd, error), unless the error came from the process ending under us: then one line
// saying how it ended, and `during` what ("ptk call: process 12 (prog) was killed by SIGKILL
// during the call"). Returns ptk's exit code either way (1: the command did not do its job).
int fail_or_ended(std::string_view cmd, Session& session, pid_t pid, std::string_view name,
                  std::string_view during, const Error& error);

}  // namespace ptk::cli
