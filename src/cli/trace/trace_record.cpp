// --record: what the options mean for a recording (the filter and -s/-v bound what is
// captured; the rest of the rendering options are for ptk show), the file's header, the run.
#include "trace/trace_record.h"

#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>

#include "common/cli_util.h"
#include "ptk/arch/arch.h"
#include "ptk/engine/command_start.h"
#include "ptk/engine/engine.h"
#include "ptk/engine/record_job.h"
#include "ptk/engine/stop_signals.h"
#include "ptk/sys/capture_plan.h"
#include "ptk/sys/raw_event.h"
#include "ptk/sys/record.h"
#include "ptk/sys/seccomp.h"

namespace ptk::cli {

// The options that make no sense when nothing is printed now, or that change the tracees
// (a recording observes only); empty when none is given.
std::string refused_option(const TraceOptions& o) {
  if (!o.output.empty()) return "-o";
  if (o.summary || o.summary_too) return o.summary ? "-c" : "-C";
  if (o.json) return "--json";
  if (!o.perfetto.empty()) return "--perfetto";
  if (o.stack_trace) return "-k";
  if (!o.breaks.empty()) return "--break";
  if (!o.hooks.empty()) return "tampering (inject, fault, --rewrite, --rules)";
  if (o.read_fds || o.write_fds) return "-e read=/write=";
  if (o.detach_on_execve) return "-b execve";
  if (o.syscall_limit != 0) return "--syscall-limit";
  return {};
}

sys::RecordInfo record_info(const TraceOptions& o, sys::RecordBackend backend) {
  sys::RecordInfo info;
  info.clock_offset_ns = engine::realtime_minus_monotonic_ns();
  info.start_ns = static_cast<std::int64_t>(engine::monotonic_ns()) + info.clock_offset_ns;
  info.host_abi = sys::abi_of(kHostArches[0]);
  info.backend = backend;
  info.string_limit = static_cast<std::uint32_t>(o.string_limit);
  info.flags = (o.verbose ? sys::kRecordVerbose : 0) |
               (o.follow > 0 || o.seccomp_bpf ? sys::kRecordFollow : 0);
  if (o.command.empty()) {
    info.flags |= sys::kRecordAttached;
    for (pid_t pid : o.pids) {
      if (!info.target.empty()) info.target += '\0';
      info.target += std::to_string(pid);
    }
  } else {
    for (const std::string& arg : o.command) {
      if (!info.target.empty()) info.target += '\0';
      info.target += arg;
    }
  }
  return info;
}

std::optional<int> refuse_record_options(const TraceOptions& o) {
  std::string refused = refused_option(o);
  if (refused.empty()) return std::nullopt;
  return fail("trace",
              fmt::format("--record writes raw events, not a trace: not with {} (give it to "
                          "ptk show FILE)",
                          refused),
              kExitUsage);
}

int run_record(TraceOptions& o) {
  if (auto refused = refuse_record_options(o)) return *refused;
  bool spawning = !o.command.empty();
  sys::DecodeOptions decode;
  decode.string_limit = static_cast<std::size_t>(o.string_limit);
  decode.abbrev_array = static_cast<std::size_t>(o.string_limit);
  decode.verbose = o.verbose;
  sys::CapturePlans plans = sys::CapturePlans::build(o.filter, decode);

  auto writer = sys::RecordWriter::create(o.record, record_info(o, sys::RecordBackend::Ptrace));
  if (!writer.ok()) return fail("trace", writer.error());

  // As ptk trace: with -f (or --seccomp-bpf) and a filter, a spawned command runs under a
  // seccomp filter that stops it only at the recorded syscalls.
  bool follow = o.follow > 0 || o.seccomp_bpf;
  std::unique_ptr<sys::SeccompProgram> program;
  if (spawning && o.pids.empty() && !o.filter.selects_all() && follow) {
    auto p = sys::SeccompProgram::build(o.filter);
    if (p.ok()) {
      program = std::make_unique<sys::SeccompProgram>(std::move(*p));
    } else if (o.seccomp_bpf) {
      return fail("trace", p.error());
    }
  }

  engine::EngineOptions eo;
  eo.command = o.command;
  eo.pids = o.pids;
  eo.follow_forks = follow;
  eo.start = engine::SpawnStart::BeforeExec;
  engine::CommandStart start{.argv = o.command,
                             .env_changes = o.env,
                             .user = o.user,
                             .seccomp = program.get(),
                             .daemonize = o.daemonize,
                             .release_stdio = true};
  eo.spawn = [&start](Session& session) { return engine::spawn_command(session, start); };
  eo.session.syscall_stops = program ? SyscallStops::Seccomp : SyscallStops::All;
  eo.session.follow_threads = follow || !spawning;
  if (o.spin_us >= 0) eo.session.wait_policy.spin_us = static_cast<std::uint32_t>(o.spin_us);
  eo.stop = engine::stop_flag();
  eo.report = [](const Error& e) { fail("trace", e); };
  if (!(o.quiet & kQuietAttach)) {
    eo.note = [](std::string_view text) { fmt::print(stderr, "ptk trace: {}\n", text); };
  }
  engine::install_stop_handlers(engine::stop_signals_for(spawning, true));
  engine::Engine engine(std::move(eo));
  engine::RecordJob job(**writer, plans);
  engine.add(job);
  Result<engine::RunEnd> end = engine.run();
  Status closed = (*writer)->close();
  if (!end.ok()) return fail("trace", end.error());
  if (!closed.ok()) return fail("trace", closed.error());
  if (end->interrupted) engine::die_of_stop_signal();
  return end->exit_code;
}

}  // namespace ptk::cli
