#include "trace/trace_tips.h"

#include <fmt/format.h>

#include <iterator>

namespace ptk::cli {

std::string tip_of_the_run(unsigned seed) {
  static constexpr const char* kTips[] = {
      "ptk trace --json writes one JSON object per syscall: pipe it to jq "
      "(docs/json-schema.md).",
      "ptk trace --rewrite 'openat(path=\"/etc/hosts\") -> path=\"/tmp/hosts\"' changes a "
      "syscall's arguments on the fly (docs/rewrite-rules.md).",
      "ptk trace --perfetto FILE writes a timeline to open at ui.perfetto.dev.",
      "ptk break -p PID main --bt stops at a function and prints the stack, then lets go.",
      "ptk calls -- PROG traces library calls, as ltrace does.",
      "A call that blocks is on the output at once: ptk trace -p PID shows what a process "
      "waits in.",
  };
  return fmt::format("ptk trace tip: {}\n", kTips[seed % std::size(kTips)]);
}

}  // namespace ptk::cli
