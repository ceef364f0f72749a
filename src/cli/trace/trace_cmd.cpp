// `ptk trace`: options -> engine (TraceJob) -> printers; the exit status of the traced command.
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
#include "common/target_args.h"
#include "ptk/core/session.h"
#include "ptk/core/tracer_child.h"
#include "ptk/core/wait_status.h"
#include "ptk/engine/break_job.h"
#include "ptk/engine/command_start.h"
#include "ptk/engine/engine.h"
#include "ptk/engine/stop_signals.h"
#include "ptk/engine/trace_controls.h"
#include "ptk/engine/trace_job.h"
#include "ptk/sys/escape.h"
#include "ptk/sys/io_dumps.h"
#include "ptk/sys/seccomp.h"
#include "ptk/sys/tracer.h"
#include "ptk/tamper/tamperer.h"
#include "trace/trace_args.h"
#include "trace/trace_bpf.h"
#include "trace/trace_break.h"
#include "trace/trace_json.h"
#include "trace/trace_live.h"
#include "trace/trace_options.h"
#include "trace/trace_printer.h"
#include "trace/trace_record.h"
#include "trace/trace_renderers.h"
#include "trace/trace_stack.h"
#include "trace/trace_summary.h"
#include "trace/trace_tips.h"

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
  void set_pid(pid_t pid) { pid_ = pid; }
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
  pid_t pid_ = 0;
  bool seen_ = false;
  bool exec_failed_ = false;
  Event last_{.kind = EventKind::Exited};
};

// What ptk trace does around the engine's run besides printing syscalls: once the command is
// spawned and the -p processes attached, the printers learn the tracees and the output thread
// starts; at the end it stops; each process let go is said ("Process N detached"), and whether
// one keeps the seccomp filter of -f with a filter.
class TraceRun final : public engine::Part {
 public:
  TraceRun(const TraceOptions& o, TraceOutput& out, TraceOutput::Prefix prefix, TextPrinter& text,
           LiveFlusher& live, bool seccomp)
      : o_(o), out_(out), prefix_(prefix), text_(text), live_(live), seccomp_(seccomp) {}
  std::function<void(pid_t spawned)> on_spawned;  // the command ptk started, at arm()

  Status arm(engine::Engine& engine) override {
    Session& session = engine.session();
    if (engine.spawned() && on_spawned) on_spawned(engine.pid());
    text_.set_tracee_count(session.thread_count());
    out_.set_pid_comm((o_.decode_pids & kDecodePidComm) != 0, o_.xlevel);
    for (const auto& [pid, proc] : session.processes()) {
      for (pid_t tid : proc.tids) out_.remember_comm(tid);
    }
    // As strace: a file (-o, not -ff) has the pid column when several threads are traced from
    // the start (-p PID cmd, -p of a multi-threaded process), as with -f.
    if (!o_.output.empty() && !o_.output_separately && session.thread_count() > 1) {
      prefix_.pid_column = true;
      out_.set_prefix(prefix_);
    }
    live_.start();  // after the spawn: see LiveFlusher::start()
    return ok_status();
  }
  void finish(engine::Engine& /*engine*/, bool /*interrupted*/) override {
    live_.stop();
    text_.finish();
  }
  // After a stop signal or --syscall-limit: every process is let go, the command ptk started
  // too, after it got the signal; detached, it is no longer ours to kill (PTRACE_O_EXITKILL
  // only acts on tracees ptk still holds when it dies, so a crash of ptk still leaves none
  // behind).
  void on_detached(engine::Engine& /*engine*/, pid_t pid, bool spawned) override {
    if (!(o_.quiet & kQuietAttach)) fmt::print(stderr, "ptk trace: Process {} detached\n", pid);
    filtered_ = filtered_ || (seccomp_ && spawned);
  }
  // A seccomp filter cannot be removed, and its SECCOMP_RET_TRACE fails a syscall with ENOSYS
  // when no tracer is attached (seccomp(2)); strace --seccomp-bpf leaves the same.
  void warn_of_filters() const {
    if (!filtered_) return;
    fmt::print(stderr,
               "ptk trace: warning: the detached processes keep the seccomp filter of -f with "
               "a filter: the syscalls it selects now fail in them with ENOSYS\n");
  }

 private:
  const TraceOptions& o_;
  TraceOutput& out_;
  TraceOutput::Prefix prefix_;
  TextPrinter& text_;
  LiveFlusher& live_;
  bool seccomp_;
  bool filtered_ = false;
};

int run_trace(TraceOptions& o) {
  if (Status s = o.finish(); !s.ok()) return fail("trace", s.error(), kExitUsage);
  for (const std::string& w : o.tamper_warnings) fmt::print(stderr, "ptk trace: warning: {}\n", w);
  if (o.backend != TraceBackend::Ptrace) {
    // --backend=auto falls back to ptrace when eBPF may not run here or the options need stops.
    if (int status = run_trace_bpf(o); status >= 0) return status;
  }
  if (!o.record.empty()) return run_record(o);
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

  TraceRenderers renderers(o);
  if (Status s = renderers.open(to); !s.ok()) return fail("trace", s.error());
  TraceOutput& out = renderers.out();
  TextPrinter& text = renderers.text();
  FanOut& sinks = renderers.sinks();

  engine::EngineOptions eo;
  eo.command = o.command;
  eo.pids = o.pids;
  eo.follow_forks = follow;
  eo.start = engine::SpawnStart::BeforeExec;
  bool spawn_failed = false;
  engine::CommandStart start{.argv = o.command,
                             .env_changes = o.env,
                             .user = o.user,
                             .seccomp = program.get(),
                             .daemonize = o.daemonize,
                             .release_stdio = true};
  eo.spawn = [&start, &spawn_failed](Session& session) {
    auto pid = engine::spawn_command(session, start);
    spawn_failed = !pid.ok();
    return pid;
  };
  SessionOptions& so = eo.session;
  so.syscall_stops = program ? SyscallStops::Seccomp : SyscallStops::All;
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
  if (o.spin_us >= 0) so.wait_policy.spin_us = static_cast<std::uint32_t>(o.spin_us);
  // -c counts system time: each stop's rusage from wait4 (not needed for -w's wall time).
  so.wait_policy.want_rusage = summarize && !o.summary_opts.wall_clock;
  eo.stop = engine::stop_flag();
  eo.report = [](const Error& e) { fail("trace", e); };
  if (!(o.quiet & kQuietAttach)) {
    eo.note = [](std::string_view text) { fmt::print(stderr, "ptk trace: {}\n", text); };
  }
  engine::Engine engine(std::move(eo));
  Session& session = engine.session();

  // -e read=/write=: the data dumped after the line, before -k's stack (as strace).
  std::unique_ptr<sys::IoDumps> dumps;
  if (o.read_fds || o.write_fds) {
    auto reads = sys::FdSet::parse(o.read_fds.value_or("none"));
    if (!reads.ok()) return fail("trace", reads.error(), kExitUsage);
    auto writes = sys::FdSet::parse(o.write_fds.value_or("none"));
    if (!writes.ok()) return fail("trace", writes.error(), kExitUsage);
    dumps = std::make_unique<sys::IoDumps>(std::move(*reads), std::move(*writes));
    to.hooks.push_back(dumps.get());
    text.add_after_syscall(
        [d = dumps.get()](pid_t tid, std::string& lines) { d->take_lines(tid, lines); });
  }
  if (!o.breaks.empty() && (o.json || (o.summary && !o.summary_too))) {
    return fail("trace", "--break shows its hits in the text trace: not with --json or -c",
                kExitUsage);
  }
  if (o.break_bt && o.breaks.empty()) return fail("trace", "--bt needs --break", kExitUsage);
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
  engine::StopSignals stops_how = engine::stop_signals_for(spawning, !o.output.empty());
  if (o.daemonize > 0 && spawning) stops_how = engine::StopSignals::Ignore;
  if (o.interruptible != 0) {
    stops_how = o.interruptible >= 3   ? engine::StopSignals::Ignore
                : o.interruptible == 1 ? engine::StopSignals::Untouched
                                       : engine::StopSignals::Interrupt;
  }
  engine::install_stop_handlers(stops_how);
  ExitWatcher watcher;
  if (spawning) sinks.add(&watcher);
  LiveFlusher& live = renderers.live();
  sinks.add(&live);
  std::unique_ptr<engine::DetachOnExec> detach_on_exec;
  if (o.detach_on_execve) {
    detach_on_exec = std::make_unique<engine::DetachOnExec>(
        [&text](pid_t tid) { text.detached(tid); },
        [quiet = (o.quiet & kQuietAttach) != 0](pid_t pid) {
          if (!quiet) fmt::print(stderr, "ptk trace: Process {} detached\n", pid);
        });
    to.hooks.push_back(detach_on_exec.get());
  }
  engine::SyscallLimit limit(o.syscall_limit, [&engine] { engine.request_stop(); });
  if (o.syscall_limit != 0) sinks.add(&limit);

  TraceRun run(o, out, renderers.prefix(), text, live, program != nullptr);
  run.on_spawned = [&](pid_t command) {
    watcher.set_pid(command);
    if (stacks) stacks->set_spawned(command);
    if (detach_on_exec) detach_on_exec->set_command(command);
  };
  engine::TraceJob trace(engine, to, sinks);
  engine.add(run);
  engine.add(trace);
  // --break: breakpoints in the same run, their hits lines of the text trace.
  std::unique_ptr<TraceBreaks> break_lines;
  std::unique_ptr<engine::BreakJob> breaks;
  if (!o.breaks.empty()) {
    break_lines = std::make_unique<TraceBreaks>(session, text, o.break_bt);
    engine::BreakJobOptions bo;
    bo.locations = o.breaks;
    bo.pending = true;  // a location may be in a library loaded later, or in a program exec'd
    breaks = std::make_unique<engine::BreakJob>(engine, std::move(bo), *break_lines);
    engine.add(*breaks);
  }
  Result<engine::RunEnd> end = engine.run();
  if (!end.ok() && !engine.running()) {  // the command could not be started, or a -p attached
    bool usage = spawn_failed && end.error().kind() == ErrorKind::InvalidArgument;
    return fail("trace", end.error(), usage ? kExitUsage : kExitFailure);
  }
  run.warn_of_filters();
  if (breaks) {
    for (const engine::BreakLocation& l : breaks->locations()) {
      if (!l.set) {
        fmt::print(stderr, "ptk trace: warning: --break {}: no traced program defined it\n",
                   sys::printable(l.spec));
      }
    }
  }
  renderers.close();  // before any exit below: they run no destructors
  if (!end.ok()) return fail("trace", end.error());
  // As strace: the failed execve is in the trace, its cause on stderr, and the status is 1.
  if (watcher.exec_failed() && session.launch_failure()) {
    return fail("trace", *session.launch_failure());
  }
  // As strace, without waiting for a command it started; after -p too (130 after Ctrl-C).
  if (end->interrupted) engine::die_of_stop_signal();
  if (watcher.seen()) exit_like(watcher.last());
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
  engine::install_stop_handlers();
  // -D: this process becomes the command, and the tracer is a grandchild
  // (ptk/engine/daemon_spawn.h).
  if (o.daemonize == 0 || o.command.empty()) {
    run_tracer_in_child(engine::stop_signals(), engine::parent_death_signal());
  }
  return run_trace(o);
}

}  // namespace ptk::cli
