// ptk trace --break LOCATION [--bt]: the hits of a BreakJob run with the trace, each a line of
// the trace in its place among the syscalls ("--- breakpoint main #1 at 0x401126 <main+0x0
// (prog)> ---"), and with --bt the stack under it as -k prints a syscall's.
#pragma once

#include "ptk/debug/unwind.h"
#include "ptk/engine/break_job.h"
#include "trace/trace_printer.h"

namespace ptk::cli {

class TraceBreaks final : public engine::BreakSink {
 public:
  TraceBreaks(Session& session, TextPrinter& text, bool stacks)
      : text_(text), stacks_(stacks), unwinder_(session) {}

  void note(std::string_view text) override;
  void hit(const engine::BreakLocation& location, const debug::BreakpointHit& hit,
           const debug::SymbolTable* symbols) override;
  void watch(const debug::WatchHit& /*hit*/) override {}  // trace sets no watchpoints

 private:
  TextPrinter& text_;
  bool stacks_;
  debug::Unwinder unwinder_;
};

}  // namespace ptk::cli
