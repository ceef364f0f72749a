// `ptk trace --backend=bpf|auto`: the trace from the eBPF backend (ptk/bpf/backend.h), which
// copies each syscall's data in the kernel without stopping the tracee; the same decoders and
// printers as the ptrace backend, through sys::Replayer.
#pragma once

#include <string>

#include "trace/trace_options.h"

namespace ptk::cli {

// Why the options need the ptrace backend (they stop or change the tracee), as the one line
// `--backend=bpf` is refused with; empty when the eBPF backend can run them.
std::string bpf_refusal(const TraceOptions& o);

// After TraceOptions::finish(). Returns ptk's exit status, the traced command's as with ptrace;
// with --backend=auto, -1 when eBPF is not allowed here (the caller then traces with ptrace).
int run_trace_bpf(TraceOptions& o);

}  // namespace ptk::cli
