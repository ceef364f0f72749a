// How ptk trace starts its command, as strace does: the environment of -E, the user of -u, a
// seccomp filter installed in the child (-f with a filter), and -D's grandchild tracer; stopped
// before its execve, so that the trace begins with it.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/core/session.h"
#include "ptk/sys/seccomp.h"

namespace ptk::engine {

// -E VAR=VAL / -E VAR: the command's environment, from ptk's own.
std::vector<std::string> command_environment(const std::vector<std::string>& changes);

// -u USERNAME: the ids to take in the child before it executes the command.
struct RunAs {
  uid_t uid;
  gid_t gid;
  std::vector<gid_t> groups;
};
Result<RunAs> look_up_user(const std::string& name);
// In the spawned child (async-signal-safe calls only); _exits with a message on failure.
void become(const RunAs& who);

struct CommandStart {
  std::vector<std::string> argv;
  std::vector<std::string> env_changes;  // -E
  std::string user;                      // -u
  const sys::SeccompProgram* seccomp = nullptr;
  int daemonize = 0;  // -D, -DD, -DDD (daemon_spawn.h)
  // Once the command runs, ptk's own stdin and stdout would hold open the pipes it shares with
  // the command: `yes | ptk trace cmd` where cmd closes its stdin must still end `yes` with
  // EPIPE (strace's redirect_standard_fds(), its redirect.test). /dev/null takes their place
  // (stdout flushed first), so that a file opened later (-ff's per-thread output) does not
  // become descriptor 0 or 1.
  bool release_stdio = false;
};

// Spawns the command stopped before its execve, with ptk's start-up signal dispositions.
Result<pid_t> spawn_command(Session& session, const CommandStart& start);

}  // namespace ptk::engine
