// Machine-readable sinks of `ptk trace`: JSON Lines (--json) and a Chrome/Perfetto trace-event
// file (--perfetto).
#pragma once

#include <cstdio>
#include <string>
#include <unordered_map>

#include "ptk/sys/tracer.h"
#include "trace/trace_options.h"
#include "trace/trace_output.h"

namespace ptk::cli {

class JsonPrinter final : public sys::TraceSink {
 public:
  JsonPrinter(TraceOutput& out, const TraceOptions& opts) : out_(out), opts_(opts) {}
  void syscall_entry(sys::DecodedSyscall& sc) override;
  void syscall_exit(sys::DecodedSyscall& sc) override;
  void signal(const Event& ev) override;
  void group_stop(const Event& ev) override;
  void thread_gone(const Event& ev, sys::DecodedSyscall* pending) override;
  void exec(const Event& ev) override;
  // While the tracer waits (trace_live.h): writes an "entry" object for each call in progress
  // for `min_age_ns` or more, once, so that a blocked process shows what it waits in. Returns
  // whether calls in progress are still younger than that.
  bool write_old_entries(std::int64_t now_ns, std::int64_t min_age_ns);

 private:
  struct InProgress {
    const sys::DecodedSyscall* sc;
    bool shown;
  };
  TraceOutput& out_;
  const TraceOptions& opts_;
  std::string line_;
  std::unordered_map<pid_t, InProgress> in_progress_;
};

// Writes {"traceEvents":[...]}: one complete ("X") event per syscall on the track of its
// thread, instant ("i") events for signals and exits, and thread-name metadata.
class PerfettoWriter final : public sys::TraceSink {
 public:
  ~PerfettoWriter() override;
  Status open(const std::string& path);
  void syscall_entry(sys::DecodedSyscall&) override {}
  void syscall_exit(sys::DecodedSyscall& sc) override;
  void signal(const Event& ev) override;
  void thread_gone(const Event& ev, sys::DecodedSyscall* pending) override;
  void close();

 private:
  void event(const std::string& json);

  std::FILE* file_ = nullptr;
  bool first_ = true;
  std::string buf_;
  std::int64_t origin_ns_ = 0;
};

}  // namespace ptk::cli
