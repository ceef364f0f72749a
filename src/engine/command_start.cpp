#include "ptk/engine/command_start.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "ptk/engine/daemon_spawn.h"
#include "ptk/engine/stop_signals.h"

extern char** environ;

namespace ptk::engine {

std::vector<std::string> command_environment(const std::vector<std::string>& changes) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  for (const std::string& change : changes) {
    std::size_t eq = change.find('=');
    std::string name = change.substr(0, eq);
    std::erase_if(env, [&](const std::string& e) {
      return e.size() > name.size() && e.compare(0, name.size(), name) == 0 &&
             e[name.size()] == '=';
    });
    if (eq != std::string::npos) env.push_back(change);  // -E VAR alone removes VAR
  }
  return env;
}

Result<RunAs> look_up_user(const std::string& name) {
  errno = 0;
  passwd* pw = ::getpwnam(name.c_str());
  if (pw == nullptr) {
    return Error(ErrorKind::InvalidArgument, fmt::format("-u {}", name), 0,
                 errno != 0 ? std::strerror(errno) : "no such user");
  }
  RunAs who{.uid = pw->pw_uid, .gid = pw->pw_gid, .groups = {}};
  int n = 64;
  who.groups.resize(static_cast<std::size_t>(n));
  if (::getgrouplist(name.c_str(), pw->pw_gid, who.groups.data(), &n) < 0) {
    who.groups.resize(static_cast<std::size_t>(n));
    ::getgrouplist(name.c_str(), pw->pw_gid, who.groups.data(), &n);
  }
  who.groups.resize(static_cast<std::size_t>(std::max(n, 0)));
  return who;
}

void become(const RunAs& who) {
  // Groups first, then the gid, then the uid: after setuid the others are no longer allowed.
  if (::setgroups(who.groups.size(), who.groups.data()) != 0 || ::setgid(who.gid) != 0 ||
      ::setuid(who.uid) != 0) {
    constexpr char kMessage[] =
        "ptk trace: -u: cannot take the user's ids (ptk must run as root)\n";
    (void)!::write(2, kMessage, sizeof kMessage - 1);
    ::_exit(1);
  }
}

namespace {

void release_standard_fds() {
  std::fflush(stdout);
  int null = ::open("/dev/null", O_RDWR);
  if (null < 0) return;
  for (int fd = 0; fd <= 1; ++fd) {
    if (null != fd) ::dup2(null, fd);
  }
  if (null > 1) ::close(null);
}

}  // namespace

Result<pid_t> spawn_command(Session& session, const CommandStart& start) {
  SpawnOptions sp;
  sp.argv = start.argv;
  sp.stop_before_exec = true;
  // The child must not inherit ptk's own handling of these signals.
  set_child_signals(sp);
  if (!start.env_changes.empty()) sp.env = command_environment(start.env_changes);
  std::optional<RunAs> run_as;
  if (!start.user.empty()) {
    PTK_ASSIGN_OR_RETURN(RunAs who, look_up_user(start.user));
    run_as = std::move(who);
  }
  if (start.seccomp != nullptr || run_as) {
    sp.child_setup = [program = start.seccomp, who = run_as ? &*run_as : nullptr] {
      if (who != nullptr) become(*who);
      if (program != nullptr) program->install_in_child();
    };
  }
  Result<pid_t> pid =
      start.daemonize > 0 ? spawn_from_grandchild(start.daemonize, session, sp) : session.spawn(sp);
  if (pid.ok() && start.release_stdio) release_standard_fds();
  return pid;
}

}  // namespace ptk::engine
