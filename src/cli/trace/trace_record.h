// `ptk trace --record FILE` on the ptrace backend: the engine with a RecordJob instead of the
// decoding TraceJob and its printers; `ptk show FILE` renders the file later.
#pragma once

#include <optional>
#include <string>

#include "ptk/sys/record.h"
#include "trace/trace_options.h"

namespace ptk::cli {

// The option given that --record refuses (it prints nothing now, and only observes), or empty.
std::string refused_option(const TraceOptions& o);
// The exit status of the one line that refuses those options, when one is given.
std::optional<int> refuse_record_options(const TraceOptions& o);
// The file header of a recording of these options by `backend`.
sys::RecordInfo record_info(const TraceOptions& o, sys::RecordBackend backend);

// After TraceOptions::finish(). The exit status is the traced command's, as without --record.
int run_record(TraceOptions& o);

}  // namespace ptk::cli
