// Engine: one run of the processes a job watches -- started (spawned, or attached), followed
// through forks, clones and execs, let go at the end or at a stop signal -- with any number of
// Parts plugged in (syscall tracing, breakpoints, library calls, renderers).
//
// The engine owns the Session and the BreakpointSet, runs the one event loop, and handles what
// every job needs once. When a part uses breakpoints, children are always seized, so that the
// int3 bytes they inherit are tracked (followed) or scrubbed (not followed, then let go) before
// they run; a child's first stop waits for its parent's fork event (ForkOrder); after an execve
// the parts set their breakpoints again once the new program reaches its entry point (its
// libraries mapped). A part may hold a thread at a stop for a while (tamper delays) while the
// others run. At a stop signal, or when a part asks (--syscall-limit), threads a part holds run
// to where it lets go of them, every breakpoint is taken out and every process let go as it
// was.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/core/session.h"
#include "ptk/core/wait_status.h"
#include "ptk/debug/breakpoints.h"
#include "ptk/engine/fork_order.h"

namespace ptk::engine {

class Engine;

// What a job adds to a run. Every hook is optional; the engine calls the parts in the order they
// were added.
class Part {
 public:
  virtual ~Part() = default;
  // Whether the run must stop at every syscall's entry and exit (a part that traces them).
  virtual bool wants_syscalls() const { return false; }
  // Whether the part inserts breakpoints (children are then seized, see above).
  virtual bool uses_breakpoints() const { return false; }
  // Every stop the engine does not take for itself, before the thread goes on: syscall entries
  // and exits, exit stops, signals passed to the program (a trap only when it is no
  // breakpoint's), group stops, the start of a followed thread, execs of followed processes,
  // thread ends. A part that traces the processes (TraceJob) reports them.
  virtual void observe(Engine& /*engine*/, const Event& /*ev*/) {}
  // The first process is stopped (at its entry point, or attached): insert what the job needs.
  // On failure the engine takes out what its BreakpointSet holds and lets an attached process
  // go; a part undoes anything else it set itself first.
  virtual Status arm(Engine& /*engine*/) { return ok_status(); }
  // A hit of a BreakpointSet breakpoint; every part sees it (a part ignores the addresses that
  // are not its own), then the engine steps over it.
  virtual Status on_hit(Engine& /*engine*/, const debug::BreakpointHit& /*hit*/) {
    return ok_status();
  }
  // A trap that is no breakpoint (a watchpoint...): true when this part handled it and resumed
  // the thread. The first part that says true takes it.
  virtual Result<bool> on_other_trap(Engine& /*engine*/, const Event& /*ev*/) { return false; }
  // Before a new thread or followed child runs (it runs whatever this returns).
  virtual Status on_thread_start(Engine& /*engine*/, pid_t /*tid*/) { return ok_status(); }
  // How long the thread must wait at this syscall stop before it goes on (tamper delays): the
  // engine holds only that thread and handles the others meanwhile. Asked after observe().
  virtual std::chrono::microseconds take_delay(Engine& /*engine*/, pid_t /*tid*/) { return {}; }
  // Around each wait for the next stop. In between the engine touches no part, so another
  // thread may read what a part holds (ptk trace writes its output out then).
  virtual void before_wait(Engine& /*engine*/) {}
  virtual void after_wait(Engine& /*engine*/) {}
  // A followed child: (the parent thread, the child).
  virtual void on_fork(Engine& /*engine*/, pid_t /*parent_tid*/, pid_t /*child*/) {}
  // After the BreakpointSet forgot the old image.
  virtual void on_exec(Engine& /*engine*/, const Event& /*ev*/) {}
  // The program a process exec'd has reached its entry point (the loader has mapped its
  // libraries): set what the job sets in a new program. Called at the exec stop itself when the
  // entry point is unknown.
  virtual Status on_new_program(Engine& /*engine*/, pid_t /*pid*/, pid_t /*tid*/) {
    return ok_status();
  }
  virtual void on_exit(Engine& /*engine*/, const Event& /*ev*/) {}    // a thread ended
  virtual void on_process_gone(Engine& /*engine*/, pid_t /*pid*/) {}  // its last thread ended
  // At a stop signal, before anything is let go: true while a thread must run on first (a
  // syscall a tamper hook changed must reach its exit, where the hook undoes the change). The
  // engine goes on handling stops meanwhile, and asks again.
  virtual bool holds_threads(Engine& /*engine*/) { return false; }
  // At a stop signal, before an attached process is let go: take out what is not the
  // BreakpointSet's (the engine releases that).
  virtual Status before_detach(Engine& /*engine*/) { return ok_status(); }
  // Each process as it is let go (`spawned`: one ptk started); a failure was reported.
  virtual void on_detached(Engine& /*engine*/, pid_t /*pid*/, bool /*spawned*/) {}
  // At the end of the first process (whoever saw its exit), before finish(false).
  virtual void on_end(Engine& /*engine*/, const WaitStatus& /*end*/) {}
  // The last words: at the end of the run, or (`interrupted`) at a stop signal.
  virtual void finish(Engine& /*engine*/, bool /*interrupted*/) {}
};

// How a spawned command starts.
enum class SpawnStart : std::uint8_t {
  // Run to its program's entry point, where its libraries are mapped and breakpoints can be
  // set in them; the way there is not reported.
  AtEntry,
  // Stopped before its execve: the loop reports the exec (ptk trace shows the execve line).
  BeforeExec,
};

// The SessionOptions an engine starts from: no syscall stops (a part that wants them turns
// them on), the default wait policy.
SessionOptions engine_session_options();

struct EngineOptions {
  std::vector<std::string> command;  // the command to spawn, if any
  std::vector<int> pids;             // processes to attach to (after the command is spawned)
  bool follow_forks = false;         // children are traced too (else let go, clean)
  SpawnStart start = SpawnStart::AtEntry;
  // How the command is spawned (the environment, the user, a seccomp filter...); default:
  // Session::spawn of `command` with ptk's start-up signal dispositions. It must honour
  // `start`: AtEntry runs it to its entry point (spawn_to_entry), BeforeExec leaves it stopped
  // before its execve (SpawnOptions::stop_before_exec).
  std::function<Result<pid_t>(Session&)> spawn;
  // The session's options: syscall stops (All or Seccomp when a part wants them; None
  // otherwise), threads, exit stops, strangers, the wait policy. The engine sets follow_forks
  // and the wait policy's interrupt.
  SessionOptions session = engine_session_options();
  // Nonzero ends the run (ptk/engine/stop_signals.h: stop_flag()); may be null.
  const volatile std::sig_atomic_t* stop = nullptr;
  // A failure in the middle of the run (the run goes on: the program must too). Default: one
  // line on stderr.
  std::function<void(const Error&)> report;
  // What a person watching wants to know: "Process 12 attached", once every part has armed
  // (a script may wait for it). Default: nothing. (Each process let go: Part::on_detached.)
  std::function<void(std::string_view)> note;
};

// How a run ended.
struct RunEnd {
  // The first process's status as a shell sees it (its exit code, 128+N when killed by N), or,
  // interrupted, 0 unless letting something go failed (1).
  int exit_code = 0;
  // A stop signal came: every process was let go, the command ptk started too (after
  // forward_stop_signal). A tool then ends as strace does (die_of_stop_signal).
  bool interrupted = false;
};

class Engine {
 public:
  explicit Engine(EngineOptions options);
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Not owned; added before run().
  void add(Part& part) { parts_.push_back(&part); }

  // Starts the process, arms every part, runs to the end of the traced processes or to the
  // stop flag. An error: the process could not be started or a part could not arm (the
  // process was let go as it was, or killed if spawned).
  Result<RunEnd> run();

  Session& session() { return session_; }
  debug::BreakpointSet& breakpoints() { return bps_; }
  pid_t pid() const { return pid_; }  // the command, or the first attached (0 before run())
  // Ends the run from a part (on the engine's thread): everything is let go as at a stop
  // signal, without forwarding one (--syscall-limit).
  void request_stop() { stop_requested_ = true; }
  bool spawned() const { return !options_.command.empty(); }
  SpawnStart spawn_start() const { return options_.start; }
  const std::string& program() const { return program_; }  // its name, for messages
  // Started, armed and resumed: run() got to its loop (an error of run() before it means that
  // nothing was traced).
  bool running() const { return running_; }
  // A failure the run goes on after, through EngineOptions::report (parts use it too).
  void report(const Error& e) const;
  // An event a part took from the session while it handled another (a step past a watchpoint
  // hit that ended in an exit): the loop handles it next, before it waits again.
  void defer(Event ev) { deferred_.push_back(std::move(ev)); }

 private:
  static SessionOptions session_options(const EngineOptions& options);
  Status start();
  Result<RunEnd> loop();
  Result<std::optional<Event>> next_event();
  Status release_delayed(bool all);
  Status resume_or_delay(const Event& ev);
  Status arm();
  Status handle(const Event& ev);
  Status handle_trap(const Event& ev);
  Status handle_fork(const Event& ev);
  Status handle_exec(const Event& ev);
  void handle_end(const Event& ev);
  Status start_child(pid_t tid);
  Status break_at_entry(const Event& exec);
  Status new_program(pid_t pid, pid_t tid);
  void observe(const Event& ev);
  RunEnd let_go();
  bool interrupted() const { return options_.stop != nullptr && *options_.stop != 0; }

  // A thread held at a syscall stop for a part's delay, resumed at `until`.
  struct Delayed {
    std::chrono::steady_clock::time_point until;
    Event ev;
  };

  EngineOptions options_;
  Session session_;
  debug::BreakpointSet bps_{session_};
  std::vector<Part*> parts_;
  pid_t pid_ = 0;
  std::string program_;
  std::set<pid_t> unfollowed_forks_, unfollowed_vforks_;
  std::map<pid_t, std::uint64_t> exec_entries_;  // exec'd processes: the engine's entry breakpoint
  ForkOrder fork_order_;
  int exit_code_ = 0;
  bool uses_breakpoints_ = false;
  bool stop_requested_ = false;
  bool running_ = false;
  std::vector<Delayed> delayed_;
  std::deque<Event> deferred_;  // from defer()
};

}  // namespace ptk::engine
