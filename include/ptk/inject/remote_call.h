// Remote function calls: a stopped tracee thread calls one of its own functions with integer,
// pointer and string arguments, and is then put back exactly as it was.
//
// The call follows the tracee's ABI (AbiInfo::call): x86_64 SysV (rdi, rsi, rdx, rcx, r8, r9;
// al = 0 vector registers for a variadic callee; the stack 16-byte aligned at the call, below
// the 128-byte red zone), i386 cdecl (arguments on the stack, 16-byte aligned at the call as gcc
// has assumed since it switched -mpreferred-stack-boundary to 4) or AAPCS64 (x0-x7, sp 16-byte
// aligned, no red zone). The callee's return address is 0, pushed on x86 and in x30 on aarch64:
// its `ret` jumps there and faults at ip 0 with the stack pointer back at its entry value, which
// ptk recognises as the return. Any other fault or trap inside the callee is reported (signal,
// address) and not delivered.
//
// Restored afterwards: the general registers, the extended (x87/SSE/AVX; FP/SIMD) state, the stack
// bytes the call and its callee may have written (a window below the frame, see kCallStackWindow),
// the signal mask (the callee may change it: sigprocmask, a longjmp out of a handler), the
// pending signal and any signal that arrived meanwhile (RemoteSyscalls). The other threads of
// the process stay stopped throughout.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/core/session.h"
#include "ptk/inject/remote_syscalls.h"

namespace ptk::inject {

// How far below the call frame the callee's stack writes are saved and put back. Memory below
// the stack pointer belongs to nobody, but a byte-exact stack makes before/after checks simple;
// dlopen and printf stay well within it.
inline constexpr std::uint64_t kCallStackWindow = 64 * 1024;

struct CallArg {
  enum class Kind : std::uint8_t { Integer, String };
  Kind kind = Kind::Integer;
  std::uint64_t value = 0;  // Integer or pointer (two's complement for negative numbers)
  std::string bytes;        // String: copied into the tracee with a NUL for the call's length

  static CallArg integer(std::uint64_t v) { return CallArg{Kind::Integer, v, {}}; }
  static CallArg string(std::string s) { return CallArg{Kind::String, 0, std::move(s)}; }
};

struct CallResult {
  bool returned = false;          // false: the callee faulted or trapped, see `stop`
  std::uint64_t value = 0;        // rax / eax / x0, zero-extended to the ABI's word
  std::int64_t signed_value = 0;  // the same sign-extended from the word
  CodeStop stop;                  // how the callee stopped when it did not return
};

// Calls the function at `function` in the open scope (whose restore() puts the registers back;
// the stack, extended state and signal mask are put back before this returns).
Result<CallResult> remote_call(RemoteSyscalls& remote, std::uint64_t function,
                               std::span<const CallArg> args);
// The same in a scope of its own on thread `tid`, stopped in `session`.
Result<CallResult> remote_call(Session& session, pid_t tid, std::uint64_t function,
                               std::span<const CallArg> args);

// The implementation a GNU indirect function's resolver picks in this process: the resolver
// is called as the x86 loader calls it, without arguments (glibc's x86 resolvers read the CPU
// features the loader recorded). The aarch64 loader passes AT_HWCAP and a struct of hwcaps,
// which glibc's own resolvers do not read (its libc_ifunc resolvers take none, and read the
// loader's cpu_features); a program's resolver that does sees 0. NotFound when it does not
// return an address.
Result<std::uint64_t> resolve_ifunc(RemoteSyscalls& remote, std::uint64_t resolver);
// The same in a scope of its own on thread `tid`, stopped in `session`.
Result<std::uint64_t> resolve_ifunc(Session& session, pid_t tid, std::uint64_t resolver);

// The most register/stack arguments remote_call passes.
inline constexpr std::size_t kMaxCallArgs = 6;

}  // namespace ptk::inject
