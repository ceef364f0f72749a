// Session: every process and thread one tracer holds, and the event loop over them.
//
// ptrace(2) requests are only accepted from the thread that attached, so a Session belongs
// to one thread of the tracer: it is single-threaded by contract and does no locking.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ptk/arch/registers.h"
#include "ptk/base/result.h"
#include "ptk/base/unique_fd.h"
#include "ptk/core/event.h"
#include "ptk/core/memory.h"
#include "ptk/core/wait_policy.h"
#include "ptk/core/wait_status.h"

namespace ptk {

// Which syscalls stop the tracee.
enum class SyscallStops : std::uint8_t {
  None,     // no syscall stops (PTRACE_CONT): breakpoints, signals and events only
  All,      // every syscall entry and exit (PTRACE_SYSCALL)
  Seccomp,  // only syscalls a seccomp filter marks SECCOMP_RET_TRACE, then their exit
};

// How to restart a stopped thread.
enum class Resume : std::uint8_t {
  Default,     // per the session's SyscallStops (and PTRACE_LISTEN for a group-stop)
  Continue,    // PTRACE_CONT
  Syscall,     // PTRACE_SYSCALL
  SingleStep,  // PTRACE_SINGLESTEP
  Listen,      // PTRACE_LISTEN: stay group-stopped, but report the SIGCONT
};

struct SessionOptions {
  SyscallStops syscall_stops = SyscallStops::All;
  bool follow_forks = false;   // trace children of fork/vfork/clone-without-CLONE_THREAD
  bool follow_threads = true;  // trace new threads of traced processes
  bool exit_stops = false;     // PTRACE_O_TRACEEXIT: an Exiting event before each exit
  WaitPolicy wait_policy{};
  // Told of processes the session does not trace that waitpid still reports: `exited` when
  // the end of a child of the tracer it knows nothing of is ignored (a tracee's
  // clone(CLONE_PARENT) child made without following forks); otherwise a process that stopped
  // as our tracee unasked (a clone(CLONE_PTRACE) child without following) and was let go.
  // Children it spawned and detached are not strangers. strace says "Exit of unknown pid N
  // ignored" and "Detached unknown pid N".
  std::function<void(pid_t pid, bool exited)> on_stranger{};
};

struct SpawnOptions {
  std::vector<std::string> argv{};                // argv[0] is looked up in PATH
  std::optional<std::vector<std::string>> env{};  // the tracer's environment when unset
  // When true, spawn returns at the execve syscall-entry stop (and the first event of wait()
  // is that entry), so a tracer shows the execve as strace does. When false, it returns with
  // the new program stopped at its first instruction (after the Exec event).
  bool stop_before_exec = false;
  // Runs in the child between fork and execve (e.g. to install a seccomp filter). It must be
  // async-signal-safe: no allocation, no locks.
  std::function<void()> child_setup{};
  // Signals whose disposition the child resets to SIG_DFL (those the tracer ignores itself).
  std::vector<int> default_signals{};
  // Signals the child ignores (SIG_IGN survives execve, a handler does not): those the tracer
  // was started with ignored and handles itself, e.g. the SIGHUP of `nohup ptk trace ...`.
  std::vector<int> ignored_signals{};
  // The signal mask the child execs with (none blocked when unset): e.g. the one the tracer
  // was started with, which a command run by strace inherits.
  std::optional<sigset_t> signal_mask{};
};

// The file argv[0] names, found as execvp would (PATH), or why there is none.
Result<std::string> resolve_command(const std::string& name);
// The launching side of spawn(), for a process that is not the tracer's child (strace -D runs
// the command in the process that was started, and the tracer in a grandchild): waits until
// one byte (or EOF) comes on `sync_fd`, sets the signals of `o` up, runs o.child_setup and
// execs; a failed exec writes its errno (an int) to `err_fd` and exits 127. The tracer calls
// Session::adopt_launch meanwhile. Only async-signal-safe calls: it may run after a fork.
[[noreturn]] void exec_when_told(int sync_fd, int err_fd, const char* path, char* const* argv,
                                 char* const* envp, const SpawnOptions& o);

enum class ThreadState : std::uint8_t { Running, Stopped, Listening, Exited };

struct Thread {
  pid_t tid = 0;
  pid_t pid = 0;  // thread group
  ThreadState state = ThreadState::Running;
  Arch arch = kHostArches[0];  // as of the last stop that told us
  bool in_syscall = false;     // between a SyscallEntry and its SyscallExit
  bool seccomp_entry = false;  // the current syscall stopped through seccomp
  SyscallStop last_entry{};    // what SyscallExit pairs with
  EventKind last_stop = EventKind::Interrupt;
  int pending_signal = 0;  // the signal of a signal-delivery-stop, passed on at resume
  bool detaching = false;
  bool started = true;           // false until the first stop of an auto-attached child
  bool detach_on_start = false;  // a child we do not follow: let go at its first stop
  bool launching = false;        // spawned, stopped before its execve returns (stop_before_exec)
  int exec_errno = 0;  // that execve failed: resuming ends the child (EventKind::ExecFailed)
};

struct Process {
  pid_t pid = 0;
  bool spawned = false;            // ours: killed when the tracer exits (not adopt_launch's)
  std::string program{};           // spawned: the file spawn() executes (argv[0] as found in PATH)
  std::shared_ptr<Memory> memory;  // shared: see Memory
  std::vector<pid_t> tids;
};

// Why `pid` cannot be attached, said before anything touches it (Session::attach checks the
// same first): not a process id, ptk itself, no such process, a process that has exited and
// waits to be reaped (a zombie), a kernel thread. One line each, in the hint.
Status check_attachable(pid_t pid);

class Session {
 public:
  explicit Session(SessionOptions options = {});
  ~Session();  // detaches from attached processes; spawned ones die with PTRACE_O_EXITKILL
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const SessionOptions& options() const { return options_; }
  void set_syscall_stops(SyscallStops stops) { options_.syscall_stops = stops; }
  // For the processes spawned or attached from now on (their ptrace options are set then).
  void set_follow_forks(bool follow) { options_.follow_forks = follow; }
  void set_wait_policy(const WaitPolicy& policy) { options_.wait_policy = policy; }

  // Starts a command under the tracer; see SpawnOptions::stop_before_exec. A command killed
  // before it gets there (a SIGKILL from elsewhere) is started all the same: its Killed event
  // is the first one, end_of() says so, and every request on it fails with TraceeGone.
  Result<pid_t> spawn(const SpawnOptions& options);
  // As spawn(), for `pid`, a process in exec_when_told() that is not a child of this one:
  // `go` is the write end of its sync_fd, `exec_error` the read end of its err_fd, `path` the
  // file it executes. The process is seized, stopped, told to go and run to its execve. Unlike
  // a spawned child it survives the tracer (no PTRACE_O_EXITKILL): it is the shell's.
  Result<pid_t> adopt_launch(pid_t pid, UniqueFd go, UniqueFd exec_error, const std::string& path,
                             const SpawnOptions& options);
  // Attaches to every thread of a running process (PTRACE_SEIZE + PTRACE_INTERRUPT) and
  // returns with all of them stopped; events seen on the way are queued for wait().
  Status attach(pid_t pid);
  // Attaches only the given thread.
  Status attach_thread(pid_t tid);
  // Detaches every thread of the process, passing on any signal it was about to receive,
  // and leaves it running (or stopped, if it was group-stopped) exactly as before.
  Status detach(pid_t pid);
  Status detach_all();

  // The next event. Blocks per the wait policy; NoSuchProcess when nothing is traced.
  Result<Event> wait();
  // The same, but gives up at `deadline` (steady clock) and then returns no event: a tracer
  // that holds a thread for a while (tamper delays) waits for the others meanwhile. It polls
  // (waitpid WNOHANG, then a nap of 20 us growing to 1 ms while nothing comes), as waitpid
  // has no timeout.
  Result<std::optional<Event>> wait_until(std::chrono::steady_clock::time_point deadline);
  // Restarts the thread of a stopped event in its default way, passing on a pending signal.
  Status resume(const Event& event);
  // Restarts a stopped thread; `signal` (0 = none) is delivered as it restarts. After the
  // failed execve of a spawned command it ends the child instead: the next event is ExecFailed.
  Status resume(pid_t tid, Resume how = Resume::Default, int signal = -1);
  // Restarts every stopped thread (after attach, or to let the world run), except those whose
  // stop is still queued as an event for wait(): that event is the caller's to resume. After
  // attaching to a stopped process every thread's group-stop is such an event, and resuming it
  // here would leave the caller an event of a thread that is no longer stopped.
  // `except_process`: the threads of that process stay as they are (a command just spawned,
  // which the caller's event loop starts, while the processes attached with it run on).
  Status resume_all(pid_t except_process = 0);
  // Whether wait() has an event queued for the thread that reports a stop of it.
  bool has_queued_stop(pid_t tid) const;
  // Stops a running thread; its Interrupt event comes through wait().
  Status interrupt(pid_t tid);
  // Sends a signal to the process (kill(2)).
  Status kill(pid_t pid, int sig);

  Result<Registers> get_regs(pid_t tid);
  Status set_regs(pid_t tid, const Registers& regs);
  // Memory of the process the thread belongs to, using that thread for PEEK/POKE fallbacks.
  Memory& memory(pid_t tid);
  Result<unsigned long> event_message(pid_t tid);  // PTRACE_GETEVENTMSG
  Result<siginfo_t> siginfo(pid_t tid);

  // For code injection (ptk_inject), which runs one thread while the others stay stopped:
  // The next stop of one thread the caller resumed (events queued before stay queued); events
  // of other threads that come meanwhile are queued for wait().
  Result<Event> wait_thread(pid_t tid);
  // PTRACE_SETSIGINFO, at a signal-delivery-stop: the siginfo its signal is delivered with.
  Status set_siginfo(pid_t tid, const siginfo_t& info);
  // The signal passed on when the stopped thread is next resumed or detached (0: none).
  Status set_pending_signal(pid_t tid, int sig);
  // The extended register state (x87, SSE, AVX, ...: PTRACE_GETREGSET NT_X86_XSTATE), as the
  // kernel's opaque XSAVE image, and back.
  Result<std::vector<std::byte>> get_xstate(pid_t tid);
  Status set_xstate(pid_t tid, const std::vector<std::byte>& image);
  // A debug register (index 0-7; DR0-DR3 addresses, DR6 status, DR7 control) of a stopped
  // thread, through PTRACE_PEEKUSER/POKEUSER (watchpoints: ptk/debug/watchpoints.h).
  Result<std::uint64_t> get_debugreg(pid_t tid, int index);
  Status set_debugreg(pid_t tid, int index, std::uint64_t value);

  // How a process ended (the exit of its main thread), once that was reported -- to wait() or
  // to any call that waits meanwhile (wait_thread, attach, a stepper's run); nullopt before.
  std::optional<WaitStatus> end_of(pid_t pid) const;
  // The error for a thread this session does not hold: TraceeGone when it is a process whose
  // end the session saw (a request after its death), else NoSuchProcess (never traced).
  Error untraced(pid_t tid, std::string call) const;
  // After a call failed with TraceeGone -- the process was killed under us: a SIGKILL takes a
  // thread out of its ptrace-stop, so ptrace requests fail with ESRCH and its memory and maps
  // go, before waitpid reports the death -- waits for that report: every thread of the process
  // exits (stops on the way are let go, nothing else is resumed). Its exit events stay queued
  // for wait(), so an event loop that goes on sees the end as usual; other processes' events
  // are queued too. Returns how it ended (end_of), what a tool reports instead of the failed
  // call. NoSuchProcess when the process is not traced and its end was not seen; InvalidArgument
  // when it is not ending (process_ending: its end would never come).
  Result<WaitStatus> wait_for_end(pid_t pid);

  // After an ExecFailed event: why the spawned command could not be executed, as one line
  // (the errno, and the cause where the host explains it; see exec_error in ptk/core/host.h).
  const std::optional<Error>& launch_failure() const { return launch_failure_; }

  const Thread* thread(pid_t tid) const;
  const Process* process(pid_t pid) const;
  const std::map<pid_t, Process>& processes() const { return processes_; }
  bool empty() const { return threads_.empty(); }
  std::size_t thread_count() const { return threads_.size(); }

 private:
  class Impl;
  friend class Impl;
  // `exit_kill`: PTRACE_O_EXITKILL, for spawned processes that must not outlive the tracer.
  Status seize(pid_t tid, bool spawned, bool exit_kill);
  std::optional<Event> translate(pid_t tid, int raw_status);
  std::optional<Event> translate_syscall(Thread& t, Event ev);
  std::optional<Event> translate_event(Thread& t, Event ev, int ptrace_event);
  std::optional<Event> translate_interrupt(Thread& t, Event ev);
  std::optional<Event> adopt_child(Thread& parent, pid_t child, EventKind how);
  Status detach_stopped(Thread& t);
  Status end_failed_launch(Thread& t);
  Thread& add_thread(pid_t tid, pid_t pid, bool spawned);
  void remove_thread(pid_t tid);
  Status restart(Thread& t, Resume how, int signal);
  Status wait_for_initial_stops(const std::vector<pid_t>& tids);
  Error exited_while_attaching(pid_t pid, const std::string& name);
  Result<pid_t> spawn_handshake(const SpawnOptions& options);
  Result<pid_t> take_launch(pid_t pid, UniqueFd sync_w, UniqueFd err_r, const std::string& path,
                            const SpawnOptions& o, bool exit_kill);
  Result<pid_t> killed_at_launch(pid_t pid, int status);

  SessionOptions options_;
  std::unordered_map<pid_t, Thread> threads_;
  std::map<pid_t, Process> processes_;
  std::deque<Event> queued_;                    // events seen while doing something else
  std::unordered_map<pid_t, int> early_stops_;  // first stops of children not yet announced
  WaitPolicyState wait_state_;
  std::optional<Error> launch_failure_;
  std::map<pid_t, int> ends_;        // raw wait status of each process's main thread at its end
  std::set<pid_t> let_go_children_;  // spawned and detached: their end comes to us, quietly
};

}  // namespace ptk
