// Running a syscall written as C (syscall_expr.h) in a tracee: its integer arguments as they
// are, its strings copied into the tracee for the call, and nothing of them left after it.
//
// A string the kernel only reads (a path, an input buffer or struct) is pushed below the
// stack pointer, as the other injections do. A string the kernel may write into -- an output
// buffer or struct of the syscall's entry in data/syscalls.txt, or an untyped pointer -- can be
// overwritten far past its own bytes (uname's struct utsname is 390 bytes; "x" is 2), and below
// the stack pointer that would be the interrupted code's live stack. Such strings go into a
// scratch mapping instead, each in a region of at least a page (and of the length argument of
// an output buffer, if larger), followed by a PROT_NONE guard page: whatever the kernel writes
// stays in the mapping, or fails with EFAULT at its end. The mapping is unmapped afterwards.
#pragma once

#include <cstdint>

#include "ptk/arch/syscalls.h"
#include "ptk/base/result.h"
#include "ptk/inject/remote_syscalls.h"
#include "ptk/inject/syscall_expr.h"

namespace ptk::inject {

// Whether the kernel may write through argument `index` of `spec` when it is a pointer.
bool kernel_may_write(const SyscallSpec& spec, std::size_t index);

// Runs `expr` (as many arguments as `spec`, the syscall of the scope's ABI) in the open scope;
// returns the raw return value (see RemoteSyscalls::syscall). The strings' memory -- stack bytes
// and the scratch mapping -- is restored before it returns.
Result<std::int64_t> run_syscall_expr(RemoteSyscalls& remote, const SyscallExpr& expr,
                                      const SyscallSpec& spec);

}  // namespace ptk::inject
