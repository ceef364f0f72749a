// The one place ptk calls ptrace(2): every request goes through ptrace_call, which names the
// request and the thread in its error and maps errno to an ErrorKind.
#pragma once

#include <sys/ptrace.h>
#include <sys/types.h>

#include <cstdint>

#include "ptk/base/result.h"

namespace ptk::detail {

// glibc's <sys/ptrace.h> and <linux/ptrace.h> cannot both be included, so the kernel's
// struct ptrace_syscall_info (include/uapi/linux/ptrace.h, Linux 5.3+) is mirrored here.
struct PtraceSyscallInfo {
  std::uint8_t op;  // kSyscallInfo*
  std::uint8_t pad[3];
  std::uint32_t arch;
  std::uint64_t instruction_pointer;
  std::uint64_t stack_pointer;
  union {
    struct {
      std::uint64_t nr;
      std::uint64_t args[6];
    } entry;
    struct {
      std::int64_t rval;
      std::uint8_t is_error;
    } exit;
    struct {
      std::uint64_t nr;
      std::uint64_t args[6];
      std::uint32_t ret_data;
    } seccomp;
  };
};
inline constexpr std::uint8_t kSyscallInfoNone = 0;
inline constexpr std::uint8_t kSyscallInfoEntry = 1;
inline constexpr std::uint8_t kSyscallInfoExit = 2;
inline constexpr std::uint8_t kSyscallInfoSeccomp = 3;
inline constexpr int kPtraceGetSyscallInfo = 0x420e;

const char* request_name(int request);

// ptrace(request, tid, addr, data). ESRCH on a thread we hold means it is gone: TraceeGone.
Result<long> ptrace_call(int request, pid_t tid, std::uint64_t addr = 0, std::uint64_t data = 0);

// PTRACE_PEEKDATA returns the word itself, so errors are told apart through errno.
Result<long> ptrace_peek(pid_t tid, std::uint64_t addr);
// PTRACE_PEEKUSER, the same way: a word of the thread's struct user (e.g. a debug register).
Result<long> ptrace_peek_user(pid_t tid, std::uint64_t offset);

}  // namespace ptk::detail
