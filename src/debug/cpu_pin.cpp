#include "ptk/debug/cpu_pin.h"

#include <fmt/format.h>

#include <cerrno>
#include <utility>

#include "ptk/core/wait_policy.h"

namespace ptk::debug {

Result<CpuPin> CpuPin::together(pid_t tid) {
  CpuPin pin;
  pin.tid_ = tid;
  if (::sched_getaffinity(0, sizeof pin.tracer_mask_, &pin.tracer_mask_) != 0) {
    return Error::from_errno(errno, "sched_getaffinity(tracer)");
  }
  if (::sched_getaffinity(tid, sizeof pin.tracee_mask_, &pin.tracee_mask_) != 0) {
    return Error::from_errno(errno, fmt::format("sched_getaffinity({})", tid));
  }
  cpu_set_t both;
  CPU_AND(&both, &pin.tracer_mask_, &pin.tracee_mask_);
  int cpu = last_cpu_of(tid);
  if (cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &both)) {
    cpu = -1;
    for (int c = 0; c < CPU_SETSIZE && cpu < 0; ++c) {
      if (CPU_ISSET(c, &both)) cpu = c;
    }
  }
  if (cpu < 0) {
    return Error(ErrorKind::Unsupported, fmt::format("pin ptk and thread {} to one CPU", tid), 0,
                 "they may not run on any common CPU");
  }
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu, &one);
  if (::sched_setaffinity(tid, sizeof one, &one) != 0) {
    return Error::from_errno(errno, fmt::format("sched_setaffinity({}, cpu {})", tid, cpu));
  }
  if (::sched_setaffinity(0, sizeof one, &one) != 0) {
    int err = errno;
    (void)::sched_setaffinity(tid, sizeof pin.tracee_mask_, &pin.tracee_mask_);
    return Error::from_errno(err, fmt::format("sched_setaffinity(tracer, cpu {})", cpu));
  }
  pin.cpu_ = cpu;
  pin.active_ = true;
  pin.thread_pinned_ = true;
  return pin;
}

CpuPin::CpuPin(CpuPin&& other) noexcept
    : tid_(other.tid_),
      cpu_(other.cpu_),
      tracer_mask_(other.tracer_mask_),
      tracee_mask_(other.tracee_mask_),
      active_(std::exchange(other.active_, false)),
      thread_pinned_(other.thread_pinned_) {}

void CpuPin::unpin_thread() {
  if (!active_ || !thread_pinned_) return;
  thread_pinned_ = ::sched_setaffinity(tid_, sizeof tracee_mask_, &tracee_mask_) != 0;
}

void CpuPin::repin_thread() {
  if (!active_ || thread_pinned_) return;
  // The syscall may have been the program's own sched_setaffinity: its new mask is the one to
  // give back later, and one that leaves out our CPU is not overridden.
  cpu_set_t mask;
  if (::sched_getaffinity(tid_, sizeof mask, &mask) != 0 || !CPU_ISSET(cpu_, &mask)) return;
  tracee_mask_ = mask;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(cpu_, &one);
  thread_pinned_ = ::sched_setaffinity(tid_, sizeof one, &one) == 0;
}

Status CpuPin::restore() {
  if (!active_) return ok_status();
  active_ = false;
  Status result = ok_status();
  // ESRCH: the thread is gone, and its mask with it.
  if (thread_pinned_ && ::sched_setaffinity(tid_, sizeof tracee_mask_, &tracee_mask_) != 0 &&
      errno != ESRCH) {
    result = Error::from_errno(errno, fmt::format("restore the CPU affinity of {}", tid_));
  }
  if (::sched_setaffinity(0, sizeof tracer_mask_, &tracer_mask_) != 0 && result.ok()) {
    result = Error::from_errno(errno, "restore ptk's CPU affinity");
  }
  return result;
}

}  // namespace ptk::debug
