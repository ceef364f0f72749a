// Helpers of the eBPF backend's tests: capture plans made here (the real ones come from
// capture_plan.h), a run of one command collected as parsed records, and the skip when eBPF is
// not permitted on this machine.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ptk/arch/arch.h"
#include "ptk/bpf/backend.h"
#include "ptk/sys/capture_abi.h"
#include "ptk/sys/capture_plan.h"
#include "ptk/sys/raw_event.h"

namespace ptk_bpf_test {

inline std::string tracee(const std::string& name) {
  return std::string(PTK_TRACEE_DIR) + "/" + name + "_64";
}

// The ABI of the tests' tracees (the host's native one) and the numbers of the syscalls the
// tests name in it.
inline const std::uint16_t kHostAbi = ptk::sys::abi_of(ptk::kHostArches[0]);
constexpr int kRead = SYS_read;
constexpr int kWrite = SYS_write;
constexpr int kGetpid = SYS_getpid;
constexpr int kExecve = SYS_execve;
constexpr int kExitGroup = SYS_exit_group;
constexpr int kOpenat = SYS_openat;

// A plan table in which every syscall is reported with its registers only.
inline std::vector<ptk_cap_plan> bare_plans(bool trace_all = true) {
  std::vector<ptk_cap_plan> plans(std::size_t{PTK_PLAN_ABIS} * PTK_PLAN_NR_MAX);
  if (trace_all) {
    for (auto& plan : plans) plan.flags = PTK_PLAN_TRACE;
  }
  return plans;
}

// The plan of syscall `nr` of the host's ABI.
inline ptk_cap_plan& host_plan(std::vector<ptk_cap_plan>& plans, int nr) {
  return plans[std::size_t{kHostAbi} * PTK_PLAN_NR_MAX + static_cast<std::size_t>(nr)];
}

inline void add_item(std::vector<ptk_cap_plan>& plans, int nr, ptk_cap_item item) {
  ptk_cap_plan& plan = host_plan(plans, nr);
  plan.flags |= PTK_PLAN_TRACE;
  plan.items[plan.nitems++] = item;
}

inline ptk_cap_item item(ptk_cap_kind kind, int arg, int when, std::uint32_t max,
                         ptk_cap_len_rule rule = PTK_LEN_CONST, int len_arg = 0,
                         std::uint32_t size = 1, std::uint16_t count_max = 0) {
  ptk_cap_item it{};
  it.kind = static_cast<std::uint8_t>(kind);
  it.arg = static_cast<std::uint8_t>(arg);
  it.when = static_cast<std::uint8_t>(when);
  it.len_rule = static_cast<std::uint8_t>(rule);
  it.len_arg = static_cast<std::uint8_t>(len_arg);
  it.count_max = count_max;
  it.size = size;
  it.max = max;
  return it;
}

// Plans like the real ones for the syscalls the tests look into: execve's path, argv and envp,
// openat's path, read's buffer (ret bytes at exit) and write's (the count at entry).
inline std::vector<ptk_cap_plan> test_plans() {
  std::vector<ptk_cap_plan> plans = bare_plans();
  add_item(plans, kExecve, item(PTK_CAP_CSTR, 0, PTK_AT_ENTRY, 4096));
  add_item(plans, kExecve, item(PTK_CAP_STR_ARRAY, 1, PTK_AT_ENTRY, 256, PTK_LEN_CONST, 0, 1, 64));
  add_item(plans, kExecve, item(PTK_CAP_PTR_ARRAY, 2, PTK_AT_ENTRY, 0, PTK_LEN_CONST, 0, 1, 1024));
  add_item(plans, kOpenat, item(PTK_CAP_CSTR, 1, PTK_AT_ENTRY, 4096));
  add_item(plans, kRead, item(PTK_CAP_BUF, 1, PTK_AT_EXIT, 4096, PTK_LEN_RET));
  add_item(plans, kWrite, item(PTK_CAP_BUF, 1, PTK_AT_ENTRY, 4096, PTK_LEN_ARG, 2));
  return plans;
}

struct Chunk {
  std::uint64_t addr = 0;
  std::uint32_t flags = 0;
  std::string bytes;
};

// One record, parsed.
struct Record {
  ptk_ev_header h{};
  ptk_ev_syscall sc{};  // syscall records
  std::vector<Chunk> chunks;
  ptk_ev_signal sig{};
  ptk_ev_exit exit{};
  ptk_ev_exec exec{};
  ptk_ev_fork fork{};
  ptk_ev_lost lost{};

  bool is_syscall(int type, long nr) const { return h.type == type && sc.nr == nr; }
};

Record parse(std::span<const std::byte> bytes);

struct RunOutcome {
  pid_t pid = -1;
  int exec_errno = 0;
  ptk::bpf::RunResult result;
  std::vector<Record> records;
  // Records of one type (and syscall number, for syscall records).
  std::vector<const Record*> of(int type, long nr = -1) const;
};

// Why these tests cannot run here ("" when they can): eBPF needs privileges.
std::string skip_reason();

// Traces `argv` to its end with a fresh Backend. wait_first: the tracee has ended before the
// ring buffer is read (a small ring then overflows deterministically).
RunOutcome trace_command(const std::vector<std::string>& argv, ptk::bpf::BackendOptions options,
                         bool wait_first = false);

}  // namespace ptk_bpf_test

#define PTK_BPF_SKIP_UNLESS_PERMITTED()               \
  do {                                                \
    std::string reason = ptk_bpf_test::skip_reason(); \
    if (!reason.empty()) GTEST_SKIP() << reason;      \
  } while (0)
