// What a Backend holds: the loaded program (its skeleton), the ring buffer consumer, the spawned
// command. Shared by backend.cpp (open), spawn.cpp (the traced set) and backend_run.cpp.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "ptk/base/result.h"
#include "ptk/bpf/backend.h"

struct ptk_trace;
struct ring_buffer;

namespace ptk::bpf {

struct Backend::Impl {
  ~Impl();

  // Adds a thread to the kernel's traced set (and to the live count the end is told by).
  Result<void> track(pid_t tid, std::uint32_t flags);
  // Removes one; false when it was not there.
  bool untrack(pid_t tid);
  // Removes the threads that are gone without an exit event (one that exited before it was
  // added): the end of the run must not wait for them.
  void sweep();
  std::int64_t live() const;
  std::uint64_t lost_total() const;

  ptk_trace* skel = nullptr;
  ring_buffer* ring = nullptr;
  int traced_fd = -1;
  bool follow_forks = false;
  unsigned lost_slots = 0;  // the bss counters in use: one per possible CPU, at most 256

  pid_t child = -1;
  int exec_errno = 0;
  bool child_reaped = false;
  int child_status = 0;

  // The run in progress (the ring buffer's callback reaches it through this Impl).
  const RecordCallback* on_record = nullptr;
  std::uint64_t lost_reported = 0;
};

// The one line that says why loading failed (errors.cpp): the cause when eBPF is not permitted
// here, else libbpf's errno and the verifier's last words.
Error load_error(int err, const std::string& libbpf_log);
// The error before trying, when the process clearly lacks the privilege.
Result<void> check_privilege();

}  // namespace ptk::bpf
