#include "trace/trace_renderers.h"

#include <unistd.h>

#include <fmt/format.h>

#include <chrono>

#include "ptk/sys/escape.h"
#include "trace/trace_tips.h"

namespace ptk::cli {

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

TraceRenderers::TraceRenderers(const TraceOptions& o)
    : o_(o),
      text_(out_, o),
      json_(out_, o),
      summary_(o.summary_opts),
      live_([this] {
        bool more = o_.json && json_.write_old_entries(
                                   sys::now_ns(),
                                   std::chrono::nanoseconds(LiveFlusher::kTick).count());
        return out_.flush() || more;
      }) {}

Status TraceRenderers::open(sys::TracerOptions& to) {
  PTK_TRY(out_.open(o_.output, o_.output_separately, o_.append));
  prefix_ = TraceOutput::Prefix{.pid_column = !o_.output.empty() && o_.follow > 0,
                                .pid_brackets = o_.output.empty(),
                                .timestamps = o_.timestamps,
                                .timestamp_digits = o_.timestamp_digits,
                                .relative = o_.relative,
                                .relative_digits = o_.relative_digits};
  out_.set_prefix(prefix_);
  text_.set_palette(out_.palette(o_.color));
  // --decode-pids=pidns: one translator (and its cache) for the decoders and the printer.
  if ((o_.decode_pids & kDecodePidNs) != 0) {
    to.decode.pidns = &pidns_.emplace();
    text_.set_pidns(to.decode.pidns);
  }
  if (o_.json) {
    sinks_.add(&json_);
  } else if (!o_.summary || o_.summary_too) {
    sinks_.add(&text_);
  }
  if (o_.summary || o_.summary_too) sinks_.add(&summary_);
  if (!o_.perfetto.empty()) {
    PTK_TRY(perfetto_.open(o_.perfetto));
    sinks_.add(&perfetto_);
  }
  return ok_status();
}

void TraceRenderers::close() {
  if (o_.summary || o_.summary_too) out_.write_raw(summary_.table());
  if (o_.tips) out_.write_raw(tip_of_the_run(static_cast<unsigned>(::getpid())));
  perfetto_.close();
  out_.close();
}

}  // namespace ptk::cli
