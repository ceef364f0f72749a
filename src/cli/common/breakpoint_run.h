// What `ptk break` and `ptk calls` share at run time: a Session that seizes every child (so
// that the int3 bytes a child inherits are tracked or scrubbed before it runs), the
// BreakpointSet, the life cycle of the traced processes around it (fork order, children not
// followed, exec, exits), the event loop, and letting an attached process go at Ctrl-C. A
// command adds what its breakpoints mean through the hooks.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/fork_order.h"
#include "ptk/core/session.h"
#include "ptk/core/wait_status.h"
#include "ptk/debug/breakpoints.h"

namespace ptk::cli {

class BreakpointRun {
 public:
  // `name` is the subcommand ("break"), for messages; `command` empty: attach to `pid`.
  BreakpointRun(std::string name, bool follow_forks, int pid, std::vector<std::string> command);
  virtual ~BreakpointRun() = default;
  BreakpointRun(const BreakpointRun&) = delete;
  BreakpointRun& operator=(const BreakpointRun&) = delete;

  // Starts (spawned to its entry point, or attached), arms, runs to the end of the process or
  // to ptk's stop signal; returns ptk's exit status (the program's, 128+N when killed by N).
  int run();

 protected:
  // Inserts everything into the process pid_ (stopped). On failure the base takes out what the
  // BreakpointSet holds and lets an attached process go; undo anything else here first.
  virtual Status arm() = 0;
  // A hit of a BreakpointSet breakpoint; the base steps over it afterwards.
  virtual Status on_hit(const debug::BreakpointHit& hit) = 0;
  // A trap that is no breakpoint of ours (a watchpoint...): true when handled and resumed.
  virtual Result<bool> on_other_trap(const Event&) { return false; }
  // Before a new thread or followed child runs (it runs whatever this returns).
  virtual Status on_thread_start(pid_t) { return ok_status(); }
  virtual void on_fork(pid_t, pid_t) {}  // (parent thread, child): a followed child
  virtual void on_exec(const Event&) {}  // after the BreakpointSet forgot the old image
  // The program a process exec'd has reached its entry point (the loader has mapped its
  // libraries): set what the command sets in a new program. Called at the exec stop itself
  // when the entry point is unknown.
  virtual Status on_new_program(pid_t /*pid*/, pid_t /*tid*/) { return ok_status(); }
  virtual void on_exit(const Event&) {}   // a thread ended (the process may be gone)
  virtual void on_process_gone(pid_t) {}  // its last thread ended
  virtual Status before_detach() { return ok_status(); }  // at Ctrl-C, attached
  // The last words: at the process's end, or (`interrupted`) at ptk's stop signal.
  virtual void finish(bool /*interrupted*/) {}
  // Whether the output goes to a file (-o): then a command ptk started is not interrupted by
  // ptk's stop signals (stop_signals.h).
  virtual bool writes_to_file() const { return false; }
  // At the program's end, before finish(false): how it (pid_) ended, whoever saw its exit.
  virtual void on_end(const WaitStatus& /*end*/) {}

  Session session_;
  debug::BreakpointSet bps_{session_};
  const std::string name_;
  const bool follow_forks_;
  pid_t pid_ = 0;
  bool spawned_ = false;
  std::string program_;  // pid_'s name, for messages after its end

 private:
  static SessionOptions session_options();
  Status start(int pid, const std::vector<std::string>& command);
  Status handle(const Event& ev);
  Status handle_trap(const Event& ev);
  Status start_child(pid_t tid);
  Status break_at_entry(const Event& exec);
  int let_go();

  const int attach_pid_;
  const std::vector<std::string> command_;
  std::set<pid_t> unfollowed_forks_, unfollowed_vforks_;
  std::map<pid_t, std::uint64_t> exec_entries_;  // exec'd processes: ptk's entry breakpoint
  ForkOrder fork_order_;
  int exit_code_ = 0;
};

}  // namespace ptk::cli
