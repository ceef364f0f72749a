// Tracer and stepped thread on one CPU, on request (`ptk step --same-cpu`).
//
// Each single-step is two wake-ups: the tracee's by PTRACE_SINGLESTEP, the tracer's by the
// tracee's stop. The scheduler places a woken task on an idle CPU when there is one, so on an
// otherwise idle machine tracer and tracee alternate between two CPUs and each step pays for
// waking an idle CPU (on a VM, a costly exit from the guest's halt). On one CPU each step is two
// context switches instead: about 3x the steps per second. Changing a tracee's CPU affinity is
// visible to the program (sched_getaffinity), so this is never done unasked, and undone after.
#pragma once

#include <sched.h>
#include <sys/types.h>

#include "ptk/base/result.h"

namespace ptk::debug {

class CpuPin {
 public:
  // Pins the calling thread and thread `tid` to one CPU both may use: the one `tid` last ran
  // on if possible, else the first they share. Fails when they share none.
  static Result<CpuPin> together(pid_t tid);

  CpuPin(CpuPin&& other) noexcept;
  CpuPin& operator=(CpuPin&&) = delete;
  CpuPin(const CpuPin&) = delete;
  CpuPin& operator=(const CpuPin&) = delete;
  ~CpuPin() { (void)restore(); }

  int cpu() const { return cpu_; }
  // Puts both affinity masks back (the thread's only if it still exists).
  Status restore();

 private:
  CpuPin() = default;
  pid_t tid_ = 0;
  int cpu_ = -1;
  cpu_set_t tracer_mask_{};
  cpu_set_t tracee_mask_{};
  bool active_ = false;
};

}  // namespace ptk::debug
