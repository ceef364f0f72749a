// `ptk trace --record FILE` on the ptrace backend: the engine with a RecordJob instead of the
// decoding TraceJob and its printers; `ptk show FILE` renders the file later.
#pragma once

#include "trace/trace_options.h"

namespace ptk::cli {

// After TraceOptions::finish(). The exit status is the traced command's, as without --record.
int run_record(TraceOptions& o);

}  // namespace ptk::cli
