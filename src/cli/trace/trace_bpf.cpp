#include "trace/trace_bpf.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <time.h>

#include <cstring>

#include "common/cli_util.h"
#include "ptk/bpf/backend.h"
#include "ptk/core/tracer_child.h"
#include "ptk/engine/command_start.h"
#include "ptk/engine/stop_signals.h"
#include "ptk/engine/trace_controls.h"
#include "ptk/sys/capture_plan.h"
#include "ptk/sys/replay.h"
#include "trace/trace_renderers.h"

namespace ptk::cli {
namespace {

std::int64_t clock_ns(clockid_t clock) {
  timespec ts{};
  ::clock_gettime(clock, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Writes the buffered trace out at most every LiveFlusher::kTick as records come: the eBPF
// backend has no wait to flush around, as the ptrace backend's LiveFlusher does.
class TickFlusher final : public sys::TraceSink {
 public:
  explicit TickFlusher(TraceOutput& out) : out_(out) {}
  void syscall_entry(sys::DecodedSyscall& sc) override { tick(sc.entry_ns); }
  void syscall_exit(sys::DecodedSyscall& sc) override { tick(sc.exit_ns); }
  void signal(const Event& ev) override { tick(ev.time_ns); }
  void thread_gone(const Event& ev, sys::DecodedSyscall*) override { tick(ev.time_ns); }

 private:
  void tick(std::int64_t event_ns) {
    if (event_ns - last_ns_ < std::chrono::nanoseconds(LiveFlusher::kTick).count()) return;
    last_ns_ = event_ns;
    out_.flush();
  }
  TraceOutput& out_;
  std::int64_t last_ns_ = 0;
};

}  // namespace

std::string bpf_refusal(const TraceOptions& o) {
  if (!o.hooks.empty()) {
    return "tampering (-e inject=, fault=, --rewrite, --rules) changes syscalls at their stops";
  }
  if (o.read_fds || o.write_fds) return "-e read=/write= dump every byte, beyond what is captured";
  if (!o.breaks.empty()) return "--break stops the program at its breakpoints";
  if (o.detach_on_execve) return "-b execve detaches a ptrace tracer";
  if (o.daemonize > 0) return "-D makes the tracer a grandchild of the traced command";
  if (!o.user.empty()) return "-u starts the command as another user through ptrace's launcher";
  if (o.stack_trace != 0) return "-k unwinds the stack of a stopped thread";
  return {};
}

int run_trace_bpf(TraceOptions& o) {
  bool automatic = o.backend == TraceBackend::Auto;
  if (std::string why = bpf_refusal(o); !why.empty()) {
    if (automatic) return -1;
    return fail("trace", fmt::format("--backend=bpf: {}; use --backend=ptrace", why),
                kExitUsage);
  }
  sys::TracerOptions to = tracer_options(o);
  sys::CapturePlans plans = sys::CapturePlans::build(to.filter, to.decode);
  bpf::BackendOptions bo;
  bo.follow_forks = o.follow > 0;
  bo.plans = plans.table();
  auto backend = bpf::Backend::open(bo);
  if (!backend.ok()) {
    if (automatic) return -1;
    return fail("trace", backend.error());
  }
  TraceRenderers renderers(o);
  if (Status s = renderers.open(to); !s.ok()) return fail("trace", s.error());
  FanOut& sinks = renderers.sinks();
  TickFlusher flusher(renderers.out());
  sinks.add(&flusher);
  std::atomic<bool> limit_reached{false};
  engine::SyscallLimit limit(o.syscall_limit, [&] { limit_reached = true; });
  if (o.syscall_limit != 0) sinks.add(&limit);

  sys::Replayer replay(to, sinks);
  replay.set_clock_offset(clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC));
  if (!o.command.empty()) {
    auto pid = (*backend)->spawn(o.command, engine::command_environment(o.env));
    if (!pid.ok()) return fail("trace", pid.error());
    renderers.text().set_tracee_count(1);
  } else {
    if (auto s = (*backend)->attach(o.pids); !s.ok()) return fail("trace", s.error());
    renderers.text().set_tracee_count(o.pids.size());
  }
  // After the spawn: a command inherits ignored dispositions through its execve (a handler is
  // reset), and it must start with those ptk was started with, as under ptrace.
  engine::install_stop_handlers(engine::stop_signals_for(!o.command.empty(), !o.output.empty()));

  // The stop flag: a stop signal, or --syscall-limit's count reached.
  std::atomic<bool> stop{false};
  const std::atomic<bool>& signalled = engine::stop_requested();
  std::uint64_t bad_records = 0;
  std::string first_bad;
  auto end = (*backend)->run(
      [&](std::span<const std::byte> record) {
        if (Status s = replay.feed(record); !s.ok() && bad_records++ == 0) {
          first_bad = s.error().message();
        }
        if (limit_reached || signalled) stop = true;
      },
      stop);
  replay.finish();
  renderers.text().finish();
  renderers.close();
  if (!end.ok()) return fail("trace", end.error());
  if (bad_records != 0) {
    fmt::print(stderr, "ptk trace: {} records could not be decoded; the first: {}\n", bad_records,
               first_bad);
  }
  if (end->lost != 0) {
    fmt::print(stderr,
               "ptk trace: {} events were lost: the ring buffer was full (the trace says where)\n",
               end->lost);
    return kExitFailure;
  }
  if (int err = (*backend)->exec_error(); err != 0) {
    return fail("trace", fmt::format("exec {}: {}", o.command.front(), std::strerror(err)));
  }
  if (signalled) engine::die_of_stop_signal();
  if (end->status) ptk::exit_like(*end->status);
  return 0;
}

}  // namespace ptk::cli
