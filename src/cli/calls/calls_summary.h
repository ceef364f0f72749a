// `ptk calls -c`: calls and time per function, in ltrace -c's table, instead of the calls.
//
// A call's time is the wall time from its entry to its return as ptk saw them, nested calls
// included (and ptk's own stops, as with ltrace). A call that never returns (exit, longjmp out
// of it, or the process ended first) is counted without time.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "common/time_table.h"
#include "ptk/debug/call_tracer.h"

namespace ptk::cli {

class CallSummary : public debug::CallSink {
 public:
  void on_call(const debug::CallEntry& call) override;
  void on_return(const debug::CallExit& ret) override;
  // The table; calls still open are counted, without time.
  std::string table();

 private:
  void unreturned(const std::string& name);

  std::map<pid_t, std::vector<std::string>> open_;  // names of open calls, per thread by depth
  TimeTable table_;
};

}  // namespace ptk::cli
