#include "ptk/engine/daemon_spawn.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <string>
#include <vector>

#include "ptk/base/unique_fd.h"

extern char** environ;

namespace ptk::engine {

Result<pid_t> spawn_from_grandchild(int level, Session& session, const SpawnOptions& sp) {
  if (sp.argv.empty()) return Error(ErrorKind::InvalidArgument, "spawn", 0, "no command given");
  // Everything the command's side needs is ready before the fork: it only execs.
  PTK_ASSIGN_OR_RETURN(std::string path, resolve_command(sp.argv[0]));
  std::vector<char*> argv, envp;
  for (const auto& a : sp.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  if (sp.env) {
    for (const auto& e : *sp.env) envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
  }
  char* const* env = sp.env ? envp.data() : environ;
  int sync[2], errp[2];
  if (::pipe2(sync, O_CLOEXEC) != 0) return Error::from_errno(errno, "pipe2");
  UniqueFd sync_r(sync[0]), sync_w(sync[1]);
  if (::pipe2(errp, O_CLOEXEC) != 0) return Error::from_errno(errno, "pipe2");
  UniqueFd err_r(errp[0]), err_w(errp[1]);

  std::fflush(nullptr);  // nothing buffered is written twice
  pid_t command = ::getpid();
  pid_t middle = ::fork();
  if (middle < 0) return Error::from_errno(errno, "fork");
  if (middle > 0) {
    // This process becomes the command. The middle child exits as soon as it has forked the
    // tracer; the tracer seizes this process and tells it to go (EOF: it died first).
    sync_w.reset();
    err_r.reset();
    int status = 0;
    while (::waitpid(middle, &status, 0) < 0 && errno == EINTR) {
    }
    exec_when_told(sync_r.get(), err_w.get(), path.c_str(), argv.data(), env, sp);
  }
  sync_r.reset();
  err_w.reset();
  if (level >= 3) (void)::setsid();  // the middle child is no group leader: this succeeds
  pid_t tracer = ::fork();
  if (tracer != 0) ::_exit(tracer < 0 ? 1 : 0);
  // The tracer, an orphan now (reparented to init or the nearest subreaper).
  if (level == 2) (void)::setpgid(0, 0);
  return session.adopt_launch(command, std::move(sync_w), std::move(err_r), path, sp);
}

}  // namespace ptk::engine
