#include "trace/trace_break.h"

#include <fmt/format.h>

#include <cstdio>

#include "ptk/sys/escape.h"
#include "trace/trace_stack.h"

namespace ptk::cli {

void TraceBreaks::note(std::string_view text) {
  fmt::print(stderr, "ptk trace: --break {}\n", sys::printable(text));
}

void TraceBreaks::hit(const engine::BreakLocation& location, const debug::BreakpointHit& hit,
                      const debug::SymbolTable* symbols) {
  // The names come from the tracee's files: escaped.
  std::string where = symbols != nullptr ? symbols->describe(hit.address).to_string() : "";
  std::string line = fmt::format("--- breakpoint {} #{} at {:#x}", sys::printable(location.spec),
                                 location.hits, hit.address);
  if (!where.empty()) line += fmt::format(" <{}>", sys::printable(where));
  line += " ---";
  std::string stack;
  if (stacks_) {
    if (auto frames = unwinder_.backtrace(hit.tid, hit.regs); frames.ok()) {
      for (const debug::Frame& f : *frames) {
        if (!stack.empty()) stack += '\n';
        append_strace_frame(f, stack);
      }
    }
  }
  text_.event_line(hit.tid, line, stack);
}

}  // namespace ptk::cli
