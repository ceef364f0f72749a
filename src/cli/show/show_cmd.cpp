// `ptk show`: record file -> RecordReader -> sys::Replayer -> the printers of ptk trace.
#include "show/show_cmd.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <string>
#include <vector>

#include "common/cli_util.h"
#include "ptk/sys/record.h"
#include "ptk/sys/replay.h"
#include "trace/trace_args.h"
#include "trace/trace_renderers.h"

namespace ptk::cli {
namespace {

constexpr const char* kHead =
    "Print a recording of ptk trace --record as ptk trace prints a trace\n\n"
    "Usage: ptk show [OPTIONS] FILE\n";

// What ptk show cannot do with a recording: the options that need the live processes.
std::string refused_option(const TraceOptions& o) {
  if (!o.hooks.empty()) return "tampering (inject, fault)";
  if (o.read_fds || o.write_fds) return "-e read=/write=";
  if (o.kvm_vcpu) return "-e kvm=vcpu";
  if (o.decode_pids != 0) return "-e decode-pids=";
  return {};
}

// Parses the command line with the recording's -s and -v as the defaults (a recording holds
// strings up to its -s: that is what it shows unless told otherwise). FILE is o.command[0].
Result<TraceRequest> parse(int argc, char** argv, TraceOptions& o, const sys::RecordInfo* info) {
  if (info != nullptr) {
    o.string_limit = static_cast<int>(info->string_limit);
    o.verbose = (info->flags & sys::kRecordVerbose) != 0;
  }
  PTK_ASSIGN_OR_RETURN(TraceRequest request,
                       parse_option_table(show_option_specs(), "show", argc, argv, o, false));
  if (request != TraceRequest::Trace) return request;
  if (o.command.size() != 1) {
    return Error(ErrorKind::InvalidArgument,
                 o.command.empty() ? "give the record file to show (ptk trace --record FILE)"
                                   : "one record file at a time");
  }
  return request;
}

}  // namespace

void register_show(CLI::App& app) {
  app.add_subcommand("show", "Print a recording of ptk trace --record, as ptk trace would")
      ->allow_extras();
}

int show_main(int argc, char** argv) {
  TraceOptions first;
  auto request = parse(argc, argv, first, nullptr);
  if (!request.ok()) return fail("show", request.error(), kExitUsage);
  if (*request != TraceRequest::Trace) {
    fmt::print("{}", option_table_help(show_option_specs(), kHead));
    return 0;
  }
  std::string path = first.command[0];
  auto reader = sys::RecordReader::open(path);
  if (!reader.ok()) return fail("show", reader.error());
  const sys::RecordInfo& info = reader->info();

  TraceOptions o;
  o.color = first.color;
  if (auto again = parse(argc, argv, o, &info); !again.ok()) {
    return fail("show", again.error(), kExitUsage);
  }
  set_color_when(o.color);
  if (Status s = o.finish(); !s.ok()) return fail("show", s.error(), kExitUsage);
  if (std::string refused = refused_option(o); !refused.empty()) {
    return fail("show", fmt::format("{} needs the live processes: not with ptk show", refused),
                kExitUsage);
  }
  // -c counts each syscall's system time in a live trace (the rusage of each stop); a
  // recording has its entry and exit times only: the wall-clock time, as -w counts it.
  o.summary_opts.wall_clock = true;
  // -f's layout (a pid on each line with -o) for a recording of -f without asking again.
  if ((info.flags & sys::kRecordFollow) != 0 && o.follow == 0) o.follow = 1;
  sys::TracerOptions to = tracer_options(o);
  TraceRenderers r(o);
  if (Status s = r.open(to); !s.ok()) return fail("show", s.error());
  // As at the start of a live trace: one thread, or each attached process's.
  std::size_t tracees = 1;
  if (info.flags & sys::kRecordAttached) {
    tracees =
        static_cast<std::size_t>(std::count(info.target.begin(), info.target.end(), '\0')) + 1;
  }
  r.text().set_tracee_count(tracees);

  sys::Replayer replayer(to, r.sinks());
  replayer.set_clock_offset(info.clock_offset_ns);
  Status status = ok_status();
  for (;;) {
    auto rec = reader->next();
    if (!rec.ok()) {
      status = std::move(rec).error();
      break;
    }
    if (rec->empty()) break;
    if (Status s = replayer.feed(*rec); !s.ok()) {
      status = Error(ErrorKind::InvalidArgument,
                     fmt::format("{}: corrupt record file at byte {}: {}", path,
                                 reader->offset() - rec->size(), s.error().message()));
      break;
    }
  }
  replayer.finish();
  r.text().finish();
  r.close();
  if (replayer.lost_events() != 0) {
    fmt::print(stderr, "ptk show: {} events were lost while recording (the trace says where)\n",
               replayer.lost_events());
  }
  if (!status.ok()) return fail("show", status.error());
  return 0;
}

}  // namespace ptk::cli
