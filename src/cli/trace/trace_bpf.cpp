#include "trace/trace_bpf.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <optional>

#include "common/cli_util.h"
#include "ptk/bpf/backend.h"
#include "ptk/core/tracer_child.h"
#include "ptk/engine/command_start.h"
#include "ptk/engine/record_job.h"
#include "ptk/engine/stop_signals.h"
#include "ptk/engine/trace_controls.h"
#include "ptk/sys/capture_plan.h"
#include "ptk/sys/record.h"
#include "ptk/sys/record_pump.h"
#include "ptk/sys/replay.h"
#include "trace/trace_record.h"
#include "trace/trace_renderers.h"

namespace ptk::cli {
namespace {

// The most bytes of records waiting to be decoded, beyond the ring buffer: a busy tracee may
// outrun the decoder for a while (getpid_loop 2000000 makes ~450 MB of records in a second).
constexpr std::size_t kMaxWaitingBytes = std::size_t{2} << 30;

// ptk's threads outweigh a nice-0 program's ~9 to 1 (CFS weights) when they compete for a CPU.
constexpr int kTracerNice = -10;

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

// Starts the command or attaches the pids, then installs the stop handlers: a command
// inherits ignored dispositions through its execve (a handler is reset), and it must start with
// those ptk was started with, as under ptrace. Returns an exit status on failure.
std::optional<int> start_tracees(const TraceOptions& o, bpf::Backend& backend) {
  if (!o.command.empty()) {
    auto pid = backend.spawn(o.command, engine::command_environment(o.env));
    if (!pid.ok()) return fail("trace", pid.error());
  } else if (auto s = backend.attach(o.pids); !s.ok()) {
    return fail("trace", s.error());
  }
  engine::install_stop_handlers(engine::stop_signals_for(!o.command.empty(), !o.output.empty()));
  return std::nullopt;
}

// The exit status at the end of a run: ptk's own failures, else the traced command's.
int end_status(const TraceOptions& o, bpf::Backend& backend, const Result<bpf::RunResult>& end,
               std::uint64_t dropped) {
  if (!end.ok()) return fail("trace", end.error());
  if (std::uint64_t lost = end->lost + dropped; lost != 0) {
    fmt::print(stderr, "ptk trace: {} events were lost: {} (the trace says where)\n", lost,
               dropped != 0 ? "decoding fell too far behind the traced program"
                            : "the ring buffer was full");
    return kExitFailure;
  }
  if (int err = backend.exec_error(); err != 0) {
    return fail("trace", fmt::format("exec {}: {}", o.command.front(), std::strerror(err)));
  }
  if (engine::stop_requested()) engine::die_of_stop_signal();
  if (end->status) ptk::exit_like(*end->status);
  return 0;
}

// --record: the ring's records go to the file as they are, nothing decoded.
int record_bpf(const TraceOptions& o, bpf::Backend& backend) {
  auto writer = sys::RecordWriter::create(o.record, record_info(o, sys::RecordBackend::Bpf));
  if (!writer.ok()) return fail("trace", writer.error());
  if (auto failed = start_tracees(o, backend)) return *failed;
  std::atomic<bool> stop{false};
  const std::atomic<bool>& signalled = engine::stop_requested();
  auto end = backend.run(
      [&](std::span<const std::byte> record) {
        (*writer)->append(record);
        if (signalled) stop = true;
      },
      stop);
  if (Status s = (*writer)->close(); !s.ok()) return fail("trace", s.error());
  return end_status(o, backend, end, 0);
}

}  // namespace

std::string bpf_refusal(const TraceOptions& o) {
  // -y's paths come from /proc/PID/fd at the stop; decoded later, the descriptor may be
  // closed or the process gone, and -P matches descriptors by those paths too.
  if (o.decode_fds != 0) return "-y reads each descriptor's path from /proc while the call stops";
  if (!o.paths.empty()) return "-P matches descriptors by their /proc paths while the call stops";
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
    return fail("trace", fmt::format("--backend=bpf: {}; use --backend=ptrace", why), kExitUsage);
  }
  if (!o.record.empty()) {
    if (auto refused = refuse_record_options(o)) return *refused;
  }
  sys::TracerOptions to = tracer_options(o);
  sys::CapturePlans plans = sys::CapturePlans::build(to.filter, to.decode);
  bpf::BackendOptions bo;
  bo.follow_forks = o.follow > 0;
  bo.plans = plans.table();
  // A trace of a few syscalls (-e trace=openat) hooks only their kernel functions where the
  // kernel allows kprobes, so that the others cost nothing; the raw tracepoints otherwise.
  bo.function_hooks = true;
  auto backend = bpf::Backend::open(bo);
  if (!backend.ok()) {
    if (automatic) return -1;
    return fail("trace", backend.error());
  }
  if (!o.record.empty()) return record_bpf(o, **backend);
  // -c counts system time from the rusage of each stop; without stops, a call's time is from
  // its entry to its exit, as -w counts it (and as ptk show counts a recording's).
  o.summary_opts.wall_clock = true;
  TraceRenderers renderers(o);
  if (Status s = renderers.open(to); !s.ok()) return fail("trace", s.error());
  FanOut& sinks = renderers.sinks();
  TickFlusher flusher(renderers.out());
  sinks.add(&flusher);
  std::atomic<bool> limit_reached{false};
  engine::SyscallLimit limit(o.syscall_limit, [&] { limit_reached = true; });
  if (o.syscall_limit != 0) sinks.add(&limit);

  sys::Replayer replay(to, sinks);
  replay.set_clock_offset(engine::realtime_minus_monotonic_ns());
  if (auto failed = start_tracees(o, **backend)) return *failed;
  renderers.text().set_tracee_count(o.command.empty() ? o.pids.size() : 1);

  // The stop flag: a stop signal, or --syscall-limit's count reached.
  std::atomic<bool> stop{false};
  const std::atomic<bool>& signalled = engine::stop_requested();
  std::uint64_t bad_records = 0;
  std::string first_bad;
  // The ring's thread only copies records out; the pump's thread decodes and prints them.
  sys::RecordPump pump(
      [&](std::span<const std::byte> record) {
        if (Status s = replay.feed(record); !s.ok() && bad_records++ == 0) {
          first_bad = s.error().message();
        }
      },
      kMaxWaitingBytes, kTracerNice);
  // The ring's thread too: the traced program's threads never wait for ptk, but the scheduler
  // can favour ptk's, so that a busy program slows to what ptk can take rather than overrun it.
  (void)::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), kTracerNice);
  auto end = (*backend)->run(
      [&](std::span<const std::byte> record) {
        pump.push(record);
        if (limit_reached || signalled) stop = true;
      },
      stop);
  pump.close();
  replay.finish();
  renderers.text().finish();
  renderers.close();
  if (end.ok() && bad_records != 0) {
    fmt::print(stderr, "ptk trace: {} records could not be decoded; the first: {}\n", bad_records,
               first_bad);
  }
  return end_status(o, **backend, end, pump.dropped());
}

}  // namespace ptk::cli
