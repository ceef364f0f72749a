// RecordJob: `ptk trace --record` on the ptrace backend as an engine part. At each stop it
// writes the raw record (raw_event.h) the eBPF program would write for the same event --
// registers and the memory the capture plan names, signals with their siginfo, forks, execs,
// exits -- and decodes nothing: `ptk show` does that later.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <unordered_map>

#include "ptk/engine/engine.h"
#include "ptk/sys/capture_exec.h"
#include "ptk/sys/capture_plan.h"
#include "ptk/sys/record.h"

namespace ptk::engine {

class RecordJob : public Part {
 public:
  // Neither is owned; both outlive the run.
  RecordJob(sys::RecordWriter& writer, const sys::CapturePlans& plans)
      : writer_(writer), plans_(plans) {}

  bool wants_syscalls() const override { return true; }
  void observe(Engine& engine, const Event& ev) override;

 private:
  void syscall(Engine& engine, const Event& ev, bool exit);
  void signal(const Event& ev);
  void end(Engine& engine, const Event& ev);
  void exec(const Event& ev);
  void thread_start(const Event& ev);

  sys::RecordWriter& writer_;
  const sys::CapturePlans& plans_;
  sys::CaptureBuilder builder_;
  // The threads inside a fork, vfork, clone or clone3 (the parent of a thread that starts).
  std::unordered_map<pid_t, pid_t> forking_;  // tid -> its process
};

// CLOCK_MONOTONIC in nanoseconds: the time base of raw records.
std::uint64_t monotonic_ns();
// CLOCK_REALTIME - CLOCK_MONOTONIC now (a record file's clock offset).
std::int64_t realtime_minus_monotonic_ns();

}  // namespace ptk::engine
