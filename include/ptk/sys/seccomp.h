// A seccomp-bpf program that stops a spawned tracee only at the syscalls a filter selects
// (SECCOMP_RET_TRACE), so untraced syscalls run at native speed.
#pragma once

#include <linux/filter.h>

#include <vector>

#include "ptk/base/result.h"
#include "ptk/sys/filter.h"

namespace ptk::sys {

class SeccompProgram {
 public:
  // Built with libseccomp for both ABIs (x86_64 and the i386 compat ABI).
  static Result<SeccompProgram> build(const SyscallFilter& filter);

  // Installs the program in the calling process. Only async-signal-safe calls (prctl and the
  // seccomp syscall): it runs in the child between fork and execve.
  void install_in_child() const;

 private:
  std::vector<sock_filter> code_;
};

}  // namespace ptk::sys
