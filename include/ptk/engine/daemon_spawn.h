// -D, -DD, -DDD (strace's --daemonize): the command runs in the process the shell started, and
// the tracer in a grandchild of it that nobody waits for, so that the command is the shell's
// child (its exit status, job control, $! all are the command's).
#pragma once

#include <sys/types.h>

#include "ptk/base/result.h"
#include "ptk/core/session.h"

namespace ptk::engine {

// Forks the tracer off and returns in it (the grandchild) with the command stopped at its
// execve entry, as Session::spawn would; the calling process itself waits there to become the
// command and never returns. `level` 2 puts the tracer in a process group of its own, 3 in a
// session of its own. Call it before the tracer starts any thread.
Result<pid_t> spawn_from_grandchild(int level, Session& session, const SpawnOptions& sp);

}  // namespace ptk::engine
