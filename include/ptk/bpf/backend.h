// The eBPF backend of `ptk trace`: the raw events of raw_event.h for a set of threads, captured
// by a kernel program without ever stopping them (no ptrace), as whole records in ring order.
//
//   auto backend = ptk::bpf::Backend::open({.follow_forks = true, .plans = plans});
//   auto pid = backend.value()->spawn(argv, env);          // or ->attach(pids)
//   auto end = backend.value()->run(on_record, stop_flag);  // until every traced thread is gone
//
// The traced set lives in the kernel: a spawned command (from its execve on) or attached
// threads, plus with follow_forks every thread and process they create. Which syscalls are
// reported and which user memory each record carries is the plan table's business
// (capture_abi.h). Nothing stays attached once the Backend is destroyed.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/sys/capture_abi.h"

namespace ptk::bpf {

struct BackendOptions {
  // The ring buffer's size, rounded up to a power of two of at least one page. Records that
  // find it full are lost (and counted, see run()). 16 MiB holds all of `mixed_fs /usr/include
  // 1` (106,607 records, 15 MB) with a stalled consumer, and costs ~5 ms to create; 64 MiB
  // costs ~20 ms more at start, and a consumer slower than the syscalls loses anyway.
  std::size_t ring_bytes = std::size_t{16} << 20;
  // Trace the threads and processes the traced ones create (strace -f).
  bool follow_forks = false;
  // A PTK_CHUNK_USER_STACK chunk in every syscall entry record (strace -k).
  bool user_stacks = false;
  // When the plans report only a few syscalls (at most 8 kernel functions, nothing past the
  // table), record them from kprobes on their functions instead of the raw syscall
  // tracepoints, so that the others cost nothing; the tracepoints when the kernel refuses the
  // kprobes. Then an ignored signal (a SIGCHLD) is reported when it is sent, or at the exit of
  // the reported syscall the thread is in. `ptk trace` asks for them; off by default here so
  // that a test sees the tracepoints unless it asks. The tests that need kprobes run in the
  // VM lane where the host has none (HostCapability::Kprobes).
  bool function_hooks = false;
  // Plans indexed abi * PTK_PLAN_NR_MAX + nr, at most PTK_PLAN_ABIS * PTK_PLAN_NR_MAX of them;
  // syscalls past the end have no plan and are not reported.
  std::span<const ptk_cap_plan> plans;
};

// Called with each whole record (a ptk_ev_header first) in ring order. The bytes are valid for
// the call only.
using RecordCallback = std::function<void(std::span<const std::byte> record)>;

struct RunResult {
  // The spawned command's wait status, when one was spawned and has ended (run() reaps it);
  // none when run() was stopped before its end or nothing was spawned.
  std::optional<int> status;
  // Records the ring buffer had no room for, over the whole run (PTK_EV_LOST records said
  // where).
  std::uint64_t lost = 0;
};

class Backend {
 public:
  // Loads and attaches the kernel program. The error is one line naming the cause when eBPF
  // is not permitted here (not root / no CAP_BPF and CAP_PERFMON, no kernel BTF, kernel
  // lockdown, a ptk built without the program) or the kernel refused it.
  static Result<std::unique_ptr<Backend>> open(const BackendOptions& options);

  ~Backend();
  Backend(const Backend&) = delete;
  Backend& operator=(const Backend&) = delete;

  // Starts argv[0] (searched in PATH when it has no '/') with `env`, without ptrace: the child
  // waits until it is in the traced set, then calls execve, so that the execve is its first
  // traced syscall. When that execve fails, its record shows the error, the child exits with
  // 127 and exec_error() tells the errno. At most one command per Backend.
  Result<pid_t> spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env);
  // The errno of the spawned command's failed execve, or 0.
  int exec_error() const;
  // Traces running processes: with follow_forks every thread of each pid, else the thread
  // the number names (as strace -p without -f). A pid that does not exist is an error, and
  // then none of them is traced.
  Result<void> attach(const std::vector<pid_t>& pids);

  // Hands every record to on_record until every traced thread is gone (and the spawned command
  // is reaped) or `stop` is set (noticed within 10 ms). A PTK_EV_LOST record comes before the
  // first record after a loss. With nothing traced it returns at once.
  Result<RunResult> run(const RecordCallback& on_record, const std::atomic<bool>& stop);

  // Threads traced now.
  std::int64_t live_threads() const;
  // Whether syscalls come from function hooks (BackendOptions::function_hooks) this time.
  bool uses_function_hooks() const;

  struct Impl;

 private:
  explicit Backend(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ptk::bpf
