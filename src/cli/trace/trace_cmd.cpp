// `ptk trace`: options -> Session + Tracer -> printers; the exit status of the traced command.
#include "trace/trace_cmd.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <memory>
#include <optional>

#include "common/cli_util.h"
#include "common/stop_signals.h"
#include "common/target_args.h"
#include "ptk/core/session.h"
#include "ptk/core/tracer_child.h"
#include "ptk/core/wait_status.h"
#include "ptk/sys/escape.h"
#include "ptk/sys/seccomp.h"
#include "ptk/sys/tracer.h"
#include "ptk/tamper/tamperer.h"
#include "trace/trace_args.h"
#include "trace/trace_daemon.h"
#include "trace/trace_dump.h"
#include "trace/trace_extras.h"
#include "trace/trace_json.h"
#include "trace/trace_live.h"
#include "trace/trace_options.h"
#include "trace/trace_printer.h"
#include "trace/trace_stack.h"
#include "trace/trace_summary.h"

namespace ptk::cli {
namespace {

// The exit status strace gives: the traced command's, or its death by the same signal.
[[noreturn]] void exit_like(const Event& last) {
  ptk::exit_like(last.kind == EventKind::Killed ? W_EXITCODE(0, last.signal)
                                                : W_EXITCODE(last.exit_code, 0));
}

// Remembers how the first spawned process ended, for ptk's own exit status.
class ExitWatcher final : public sys::TraceSink {
 public:
  explicit ExitWatcher(pid_t pid) : pid_(pid) {}
  void syscall_entry(sys::DecodedSyscall&) override {}
  void syscall_exit(sys::DecodedSyscall&) override {}
  void signal(const Event&) override {}
  void thread_gone(const Event& ev, sys::DecodedSyscall*) override {
    if (ev.tid == pid_) {
      last_ = ev;
      seen_ = true;
    }
  }
  void exec_failed(const Event& ev) override {
    if (ev.tid == pid_) exec_failed_ = true;
  }
  bool seen() const { return seen_; }
  bool exec_failed() const { return exec_failed_; }
  const Event& last() const { return last_; }

 private:
  pid_t pid_;
  bool seen_ = false;
  bool exec_failed_ = false;
  Event last_{.kind = EventKind::Exited};
};

// What the decoders and the tracer take from the options.
sys::TracerOptions tracer_options(const TraceOptions& o) {
  sys::TracerOptions to;
  to.decode.string_limit = static_cast<std::size_t>(o.string_limit);
  to.decode.abbrev_array = static_cast<std::size_t>(o.string_limit);
  to.decode.verbose = o.verbose;
  to.decode.kvm_vcpu = o.kvm_vcpu;
  to.decode.xlevel = o.xlevel;
  to.decode.pid_comm = (o.decode_pids & kDecodePidComm) != 0;
  to.decode.const_names = o.const_style == ConstStyle::Raw       ? sys::ConstNames::Raw
                          : o.const_style == ConstStyle::Verbose ? sys::ConstNames::Verbose
                                                                 : sys::ConstNames::Abbrev;
  if (o.raw_set) to.decode.raw_set = &*o.raw_set;
  if (o.verbose_set) to.decode.verbose_set = &*o.verbose_set;
  if (o.abbrev_set && !o.verbose) to.decode.abbrev_set = &*o.abbrev_set;
  to.fd_paths = o.decode_fds != 0;  // any of -y's details needs the descriptors' links
  to.decode_fds = o.decode_fds;
  to.filter = o.filter;
  for (const std::string& p : o.paths) {
    // As strace: the path's canonical form is selected too (a descriptor's link is absolute),
    // and said unless -e quiet=path-resolution.
    std::string resolved = to.paths.add(p);
    if (!resolved.empty() && !(o.quiet & kQuietPathResolution)) {
      std::string from, into;
      sys::append_quoted(from, p, 0, false);
      sys::append_quoted(into, resolved, 0, false);
      fmt::print(stderr, "ptk trace: Requested path {} resolved into {}\n", from, into);
    }
  }
  return to;
}

// Starts the command, stopped before its execve: with ptk's start-up signal dispositions, the
// environment of -E, the user of -u and the seccomp filter of -f with a filter.
// Once the command runs, ptk's own stdin and stdout would hold open the pipes it shares with
// the command: `yes | ptk trace cmd` where cmd closes its stdin must still end `yes` with
// EPIPE (strace's redirect_standard_fds(), its redirect.test). /dev/null takes their place,
// so a file opened later (-ff's per-thread output) does not become descriptor 0 or 1.
void release_standard_fds() {
  int null = ::open("/dev/null", O_RDWR);
  if (null < 0) return;
  for (int fd = 0; fd <= 1; ++fd) {
    if (null != fd) ::dup2(null, fd);
  }
  if (null > 1) ::close(null);
}

Result<pid_t> spawn_command(const TraceOptions& o, Session& session,
                            const sys::SeccompProgram* program) {
  SpawnOptions sp;
  sp.argv = o.command;
  sp.stop_before_exec = true;
  // The child must not inherit ptk's own handling of these signals.
  set_child_signals(sp);
  if (!o.env.empty()) sp.env = command_environment(o.env);
  std::optional<RunAs> run_as;
  if (!o.user.empty()) {
    PTK_ASSIGN_OR_RETURN(RunAs who, look_up_user(o.user));
    run_as = std::move(who);
  }
  if (program != nullptr || run_as) {
    sp.child_setup = [program, who = run_as ? &*run_as : nullptr] {
      if (who != nullptr) become(*who);
      if (program != nullptr) program->install_in_child();
    };
  }
  if (o.daemonize > 0) return spawn_from_grandchild(o.daemonize, session, sp);
  return session.spawn(sp);
}

// After a stop signal or --syscall-limit: every process is let go, the command ptk started
// too, after it got the signal; detached, it is no longer ours to kill (PTRACE_O_EXITKILL only
// acts on tracees ptk still holds when it dies, so a crash of ptk still leaves none behind).
void let_go(Session& session, const TraceOptions& o, pid_t command, bool interrupted,
            bool seccomp) {
  if (interrupted && command != 0 && session.process(command) != nullptr) {
    forward_stop_signal(command);
  }
  std::vector<pid_t> pids;
  bool filtered = false;
  for (const auto& [pid, proc] : session.processes()) {
    pids.push_back(pid);
    filtered = filtered || (seccomp && proc.spawned);
  }
  for (pid_t pid : pids) {
    (void)session.detach(pid);
    if (!(o.quiet & kQuietAttach)) fmt::print(stderr, "ptk trace: Process {} detached\n", pid);
  }
  if (filtered) {
    // A seccomp filter cannot be removed, and its SECCOMP_RET_TRACE fails a syscall with
    // ENOSYS when no tracer is attached (seccomp(2)); strace --seccomp-bpf leaves the same.
    fmt::print(stderr,
               "ptk trace: warning: the detached processes keep the seccomp filter of -f with "
               "a filter: the syscalls it selects now fail in them with ENOSYS\n");
  }
}

int run_trace(TraceOptions& o) {
  if (Status s = o.finish(); !s.ok()) return fail("trace", s.error(), kExitUsage);
  for (const std::string& w : o.tamper_warnings) fmt::print(stderr, "ptk trace: warning: {}\n", w);
  bool spawning = !o.command.empty();
  bool follow = o.follow > 0;
  bool summarize = o.summary || o.summary_too;
  std::string summary_warning;
  if (Status s = check_summary_use(o.summary_opts, summarize, summary_warning); !s.ok()) {
    return fail("trace", s.error(), kExitUsage);
  }
  if (!summary_warning.empty()) fmt::print(stderr, "ptk trace: warning: {}\n", summary_warning);

  sys::TracerOptions to = tracer_options(o);
  // Tampering: the hooks of the options (-e inject=, ...) run in order under one Tamperer;
  // the syscalls they want stop even when -e trace= leaves them out.
  tamper::Tamperer tamperer;
  for (const auto& hook : o.hooks) tamperer.add_ref(*hook);
  if (!tamperer.empty()) to.hooks.push_back(&tamperer);

  // A seccomp filter is only safe when every descendant is traced: a SECCOMP_RET_TRACE with
  // no tracer attached fails the syscall with ENOSYS (seccomp(2)). So it needs -f.
  sys::SyscallFilter stops = sys::stop_filter(to);
  // Processes attached with -p have no filter: their syscalls would never stop (strace, too,
  // drops --seccomp-bpf with -p).
  bool use_seccomp =
      spawning && o.pids.empty() && !stops.selects_all() && (follow || o.seccomp_bpf);
  if (o.seccomp_bpf) follow = true;
  std::unique_ptr<sys::SeccompProgram> program;
  if (use_seccomp) {
    auto p = sys::SeccompProgram::build(stops);
    if (p.ok()) {
      program = std::make_unique<sys::SeccompProgram>(std::move(*p));
    } else if (o.seccomp_bpf) {
      return fail("trace", p.error());
    }
  }

  TraceOutput out;
  if (Status s = out.open(o.output, o.output_separately, o.append); !s.ok()) {
    return fail("trace", s.error());
  }
  TraceOutput::Prefix prefix{.pid_column = !o.output.empty() && follow,
                             .pid_brackets = o.output.empty(),
                             .timestamps = o.timestamps,
                             .timestamp_digits = o.timestamp_digits,
                             .relative = o.relative,
                             .relative_digits = o.relative_digits};
  out.set_prefix(prefix);

  SessionOptions so;
  so.syscall_stops = program ? SyscallStops::Seccomp : SyscallStops::All;
  so.follow_forks = follow;
  so.follow_threads = follow || !spawning;
  // The stop before each exit: a thread that dies in a syscall has its "= ?" line printed
  // there, in the order strace prints it (a leader replaced by another thread's execve has no
  // other: it vanishes without an exit report).
  so.exit_stops = true;
  // strace's lines about processes it does not trace (-qq hides the first, -q the second).
  so.on_stranger = [quiet = o.quiet](pid_t pid, bool exited) {
    if (exited && !(quiet & kQuietExit)) {
      fmt::print(stderr, "ptk trace: Exit of unknown pid {} ignored\n", pid);
    } else if (!exited && !(quiet & kQuietAttach)) {
      fmt::print(stderr, "ptk trace: Detached unknown pid {}\n", pid);
    }
  };
  so.wait_policy = default_wait_policy();
  if (o.spin_us >= 0) so.wait_policy.spin_us = static_cast<std::uint32_t>(o.spin_us);
  so.wait_policy.interrupt = stop_flag();
  // -c counts system time: each stop's rusage from wait4 (not needed for -w's wall time).
  so.wait_policy.want_rusage = summarize && !o.summary_opts.wall_clock;
  Session session(so);

  TextPrinter text(out, o);
  text.set_palette(out.palette(o.color));
  JsonPrinter json(out, o);
  // --decode-pids=pidns: one translator (and its cache) for the decoders and the printer.
  std::optional<sys::PidTranslator> pidns;
  if ((o.decode_pids & kDecodePidNs) != 0) {
    to.decode.pidns = &pidns.emplace();
    text.set_pidns(to.decode.pidns);
  }
  SummarySink summary(o.summary_opts);
  PerfettoWriter perfetto;
  FanOut sinks;
  if (o.json) {
    sinks.add(&json);
  } else if (!o.summary || o.summary_too) {
    sinks.add(&text);
  }
  if (o.summary || o.summary_too) sinks.add(&summary);
  if (!o.perfetto.empty()) {
    if (Status s = perfetto.open(o.perfetto); !s.ok()) return fail("trace", s.error());
    sinks.add(&perfetto);
  }
  // -e read=/write=: the data dumped after the line, before -k's stack (as strace).
  std::unique_ptr<IoDumps> dumps;
  if (o.read_fds || o.write_fds) {
    auto reads = FdSet::parse(o.read_fds.value_or("none"));
    if (!reads.ok()) return fail("trace", reads.error(), kExitUsage);
    auto writes = FdSet::parse(o.write_fds.value_or("none"));
    if (!writes.ok()) return fail("trace", writes.error(), kExitUsage);
    dumps = std::make_unique<IoDumps>(std::move(*reads), std::move(*writes));
    to.hooks.push_back(dumps.get());
    text.add_after_syscall(
        [d = dumps.get()](pid_t tid, std::string& lines) { d->take_lines(tid, lines); });
  }
  // -k: stacks captured at each syscall's entry, printed by the text printer after its line.
  std::unique_ptr<StackTraces> stacks;
  if (o.stack_trace && (o.json || (o.summary && !o.summary_too))) {
    fmt::print(stderr, "ptk trace: -k/--stack-traces has no effect with {}\n",
               o.json ? "--json" : "-c/--summary-only");
  } else if (o.stack_trace) {
    stacks = std::make_unique<StackTraces>(session);
    to.hooks.push_back(stacks.get());
    text.add_after_syscall(
        [s = stacks.get()](pid_t tid, std::string& lines) { s->take_lines(tid, lines); });
    sinks.add(stacks.get());  // after the printer: it takes a dying thread's stack first
  }

  // -I: 1 leaves the stop signals as they were (ptk dies of them, strace's "anywhere"), 2 lets
  // them end the trace, 3 and 4 ignore them (strace's "never"), as -D does by default.
  StopSignals stops_how = stop_signals_for(spawning, !o.output.empty());
  if (o.daemonize > 0 && spawning) stops_how = StopSignals::Ignore;
  if (o.interruptible != 0) {
    stops_how = o.interruptible >= 3   ? StopSignals::Ignore
                : o.interruptible == 1 ? StopSignals::Untouched
                                       : StopSignals::Interrupt;
  }
  install_stop_handlers(stops_how);
  std::unique_ptr<ExitWatcher> watcher;
  pid_t command = 0;
  if (spawning) {
    auto pid = spawn_command(o, session, program.get());
    if (!pid.ok())
      return fail("trace", pid.error(),
                  pid.error().kind() == ErrorKind::InvalidArgument ? kExitUsage : kExitFailure);
    command = *pid;
    std::fflush(stdout);
    release_standard_fds();
    watcher = std::make_unique<ExitWatcher>(*pid);
    if (stacks) stacks->set_spawned(*pid);
    sinks.add(watcher.get());
  }
  for (pid_t pid : o.pids) {
    if (Status s = session.attach(pid); !s.ok()) {
      (void)session.detach_all();
      return fail("trace", s.error());
    }
    if (!(o.quiet & kQuietAttach)) fmt::print(stderr, "ptk trace: Process {} attached\n", pid);
  }
  // `-p PID cmd`: the attached processes run on at once; the command is started by the event
  // loop (its first stop is the exec the loop reports). Leaving them stopped hung both.
  if (!spawning || !o.pids.empty()) {
    if (Status s = session.resume_all(command); !s.ok()) return fail("trace", s.error());
  }
  text.set_tracee_count(session.thread_count());
  out.set_pid_comm((o.decode_pids & kDecodePidComm) != 0, o.xlevel);
  for (const auto& [pid, proc] : session.processes()) {
    for (pid_t tid : proc.tids) out.remember_comm(tid);
  }
  // As strace: a file (-o, not -ff) has the pid column when several threads are traced from
  // the start (-p PID cmd, -p of a multi-threaded process), as with -f.
  if (!o.output.empty() && !o.output_separately && session.thread_count() > 1) {
    prefix.pid_column = true;
    out.set_prefix(prefix);
  }

  // Started after the spawn: see LiveFlusher::start().
  LiveFlusher live([&] {
    bool more = o.json && json.write_old_entries(
                              sys::now_ns(), std::chrono::nanoseconds(LiveFlusher::kTick).count());
    return out.flush() || more;
  });
  sinks.add(&live);
  std::unique_ptr<DetachOnExec> detach_on_exec;
  if (o.detach_on_execve) {
    detach_on_exec = std::make_unique<DetachOnExec>(command, (o.quiet & kQuietAttach) != 0,
                                                    [&text](pid_t tid) { text.detached(tid); });
    to.hooks.push_back(detach_on_exec.get());
  }
  sys::Tracer* tracer_ptr = nullptr;
  SyscallLimit limit(o.syscall_limit, tracer_ptr);
  if (o.syscall_limit != 0) sinks.add(&limit);
  live.start();
  sys::Tracer tracer(session, to, sinks);
  tracer_ptr = &tracer;
  Status s = tracer.run(stop_flag());
  live.stop();
  text.finish();
  bool interrupted = *stop_flag() != 0;
  if (interrupted || limit.reached()) let_go(session, o, command, interrupted, program != nullptr);
  if (o.summary || o.summary_too) out.write_raw(summary.table());
  if (o.tips) out.write_raw(tip_of_the_run(static_cast<unsigned>(::getpid())));
  perfetto.close();
  out.close();  // before any exit below: they run no destructors
  if (!s.ok()) return fail("trace", s.error());
  // As strace: the failed execve is in the trace, its cause on stderr, and the status is 1.
  if (watcher && watcher->exec_failed() && session.launch_failure()) {
    return fail("trace", *session.launch_failure());
  }
  // As strace, without waiting for a command it started; after -p too (130 after Ctrl-C).
  if (interrupted) die_of_stop_signal();
  if (watcher && watcher->seen()) exit_like(watcher->last());
  return 0;
}

}  // namespace

void register_trace(CLI::App& app) {
  app.add_subcommand("trace", "Trace system calls and signals, like strace")->allow_extras();
}

int trace_main(int argc, char** argv) {
  TraceOptions o;
  auto request = parse_trace_args(argc, argv, o);
  if (!request.ok()) return fail("trace", request.error(), kExitUsage);
  set_color_when(o.color);  // ptk's own messages on stderr follow --color too
  if (*request == TraceRequest::Help) {
    fmt::print("{}", trace_help());
    return 0;
  }
  if (*request == TraceRequest::Version) {
    fmt::print("ptk {} (ptk trace: strace-compatible options)\n", PTK_VERSION);
    return 0;
  }
  // As the other commands that change a process: traced from a child of this process (see
  // ptk/core/tracer_child.h), with the stop handlers in both from the fork on.
  install_stop_handlers();
  // -D: this process becomes the command, and the tracer is a grandchild (trace_daemon.h).
  if (o.daemonize == 0 || o.command.empty()) {
    run_tracer_in_child(stop_signals(), parent_death_signal());
  }
  return run_trace(o);
}

}  // namespace ptk::cli
