// The outputs of a trace as the options ask for them, whichever backend produced its events
// (ptrace, eBPF, or a recorded file for `ptk show`): the text or JSON printer on -o's output,
// the -c summary and the perfetto file, fanned out to from one sink.
#pragma once

#include <memory>
#include <optional>

#include "ptk/base/result.h"
#include "ptk/sys/pidns.h"
#include "ptk/sys/tracer.h"
#include "trace/trace_json.h"
#include "trace/trace_live.h"
#include "trace/trace_options.h"
#include "trace/trace_output.h"
#include "trace/trace_printer.h"
#include "trace/trace_summary.h"

namespace ptk::cli {

// What the decoders and the tracer take from the options (-s, -v, -x, -X, -y, -e trace=, -P...).
// Says on stderr how -P's paths resolved, as strace does.
sys::TracerOptions tracer_options(const TraceOptions& o);

class TraceRenderers {
 public:
  explicit TraceRenderers(const TraceOptions& o);
  TraceRenderers(const TraceRenderers&) = delete;
  TraceRenderers& operator=(const TraceRenderers&) = delete;

  // Opens -o's output and --perfetto's file, and sets up the printers; with
  // --decode-pids=pidns, `to` gets the translator the printer shares.
  Status open(sys::TracerOptions& to);
  // A thread that writes the buffered output out while the tracer waits (trace_live.h).
  // Added to sinks() by the caller, last: after the sinks that print.
  LiveFlusher& live() { return live_; }
  // After the trace: the summary table, --tips, and every file closed.
  void close();

  FanOut& sinks() { return sinks_; }
  TraceOutput& out() { return out_; }
  TextPrinter& text() { return text_; }
  TraceOutput::Prefix& prefix() { return prefix_; }

 private:
  const TraceOptions& o_;
  TraceOutput out_;
  TraceOutput::Prefix prefix_;
  TextPrinter text_;
  JsonPrinter json_;
  SummarySink summary_;
  PerfettoWriter perfetto_;
  std::optional<sys::PidTranslator> pidns_;
  FanOut sinks_;
  LiveFlusher live_;
};

}  // namespace ptk::cli
