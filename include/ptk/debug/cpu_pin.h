// Tracer and stepped thread on one CPU (`ptk step`, unless --no-same-cpu).
//
// Each single-step is two wake-ups: the tracee's by PTRACE_SINGLESTEP, the tracer's by the
// tracee's stop. The scheduler places a woken task on an idle CPU when there is one, so on an
// otherwise idle machine tracer and tracee alternate between two CPUs and each step pays for
// waking an idle CPU (on a VM, a costly exit from the guest's halt). On one CPU each step is two
// context switches instead: about 3x the steps per second.
//
// A program may read its CPU affinity (sched_getaffinity, /proc/self/status) and size its work
// by it, so the stepped thread must never see the pin: the stepper puts the thread's own mask
// back before every instruction that enters the kernel (unpin_thread) and pins it again once the
// instruction completed (repin_thread). Every syscall the thread makes (clone included, so its
// children inherit its own mask) runs with its own mask. What remains visible: another thread or
// process reading this thread's mask while it runs user code, and a mask left pinned if ptk is
// killed with SIGKILL while stepping an attached process (a spawned one dies with ptk).
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
  // The thread's own mask back for the length of a syscall, and the pin again after it (no-ops
  // when restored). Best effort: a failure only costs speed.
  void unpin_thread();
  void repin_thread();

 private:
  CpuPin() = default;
  pid_t tid_ = 0;
  int cpu_ = -1;
  cpu_set_t tracer_mask_{};
  cpu_set_t tracee_mask_{};
  bool active_ = false;
  bool thread_pinned_ = false;
};

}  // namespace ptk::debug
