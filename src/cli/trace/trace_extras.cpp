#include "trace/trace_extras.h"

#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

extern char** environ;

namespace ptk::cli {

void DetachOnExec::on_exec(Session& session, const Event& ev) {
  if (ev.pid == command_ && !skipped_first_) {
    skipped_first_ = true;
    return;
  }
  detached_(ev.tid);
  if (session.detach(ev.pid).ok() && !quiet_) {
    fmt::print(stderr, "ptk trace: Process {} detached\n", ev.pid);
  }
}

void SyscallLimit::count() {
  if (left_ == 0) return;
  if (--left_ == 0 && reached_) reached_();
}

void SyscallLimit::syscall_exit(sys::DecodedSyscall&) { count(); }

void SyscallLimit::thread_gone(const Event&, sys::DecodedSyscall* pending) {
  if (pending != nullptr) count();  // a call that never returned was printed all the same
}

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

std::string tip_of_the_run(unsigned seed) {
  static constexpr const char* kTips[] = {
      "ptk trace --json writes one JSON object per syscall: pipe it to jq "
      "(docs/json-schema.md).",
      "ptk trace --rewrite 'openat(path=\"/etc/hosts\") -> path=\"/tmp/hosts\"' changes a "
      "syscall's arguments on the fly (docs/rewrite-rules.md).",
      "ptk trace --perfetto FILE writes a timeline to open at ui.perfetto.dev.",
      "ptk break -p PID main --bt stops at a function and prints the stack, then lets go.",
      "ptk calls -- PROG traces library calls, as ltrace does.",
      "A call that blocks is on the output at once: ptk trace -p PID shows what a process "
      "waits in.",
  };
  return fmt::format("ptk trace tip: {}\n", kTips[seed % std::size(kTips)]);
}

}  // namespace ptk::cli
