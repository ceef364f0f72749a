#include "trace/trace_summary.h"

namespace ptk::cli {

void SummarySink::syscall_exit(sys::DecodedSyscall& sc) {
  table_.add(sc.name(), sc.exited ? sc.exit_ns - sc.entry_ns : 0, sc.is_error);
}

}  // namespace ptk::cli
