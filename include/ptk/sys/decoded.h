// DecodedSyscall: one syscall of one thread as ptk_sys understands it, shared by every
// renderer (strace text, JSON, perfetto), the filters and the tamper rules.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/arch/syscalls.h"
#include "ptk/sys/tokens.h"

namespace ptk::sys {

struct DecodedSyscall {
  pid_t pid = 0;
  pid_t tid = 0;
  Arch arch = Arch::X86_64;
  std::int64_t nr = -1;
  const SyscallSpec* spec = nullptr;  // nullptr for a number the ABI does not define
  std::array<std::uint64_t, 6> raw_args{};
  std::uint64_t ip = 0;  // the instruction after the syscall instruction (strace -i)
  std::uint64_t sp = 0;  // the stack pointer at the stop (sigreturn's frame is there)
  std::string ret_comm;  // -Y: the command name of a returned pid

  TokenList args;                   // the arguments, each introduced by a Tok::Arg
  std::size_t entry_tokens = 0;     // tokens decoded at entry: the part an unfinished line shows
  bool more_at_exit = false;        // arguments follow at exit (an unfinished line ends in ", ")
  RetType ret_type = RetType::Int;  // how the value is shown; a decoder may change it

  bool exited = false;   // the exit was seen (else the line ends "= ?")
  std::int64_t ret = 0;  // as the kernel returned it (-errno on error)
  bool is_error = false;
  TokenList ret_aux;           // what strace shows after the value: " (flags O_RDWR)", "([...])"
  std::string ret_fd_path;     // -y: the path of a returned descriptor
  std::int32_t ret_pidns = 0;  // pidns: a returned pid in the tracer's namespace (0: none)
  std::string note;            // a tamper mark, e.g. "(INJECTED)"
  bool args_poked = false;     // a hook rewrote argument memory at entry: decode the entry again

  // A multiplexer (i386 socketcall, ipc) is shown under its sub-call's name, as strace does;
  // the name applies only while `display_for` is this syscall's spec (a stale one is ignored).
  std::string display_name;
  const SyscallSpec* display_for = nullptr;
  // Decoder state kept from entry to exit (e.g. a socklen the kernel overwrites: [110 => 16]).
  std::uint64_t priv = 0;
  // The same for calls with one value per element (recvmmsg: each message's msg_namelen).
  std::vector<std::int32_t> priv_list;

  std::int64_t entry_ns = 0;  // CLOCK_REALTIME at entry, for -t/-tt/-ttt/-r and JSON
  std::int64_t exit_ns = 0;   // at exit, for -T and JSON's duration
  // The process's cumulative system time at the entry and the exit stop (Event::stime_ns; -1
  // when the wait did not ask for it): their difference is the syscall's system time, as
  // strace -c counts it.
  std::int64_t entry_stime_ns = -1;
  std::int64_t exit_stime_ns = -1;

  // The name strace prints: the table's, or "syscall_0x1ff" for an unknown number.
  std::string name() const;
  void reset();
};

// The errno name of a positive error number ("ENOENT"), or the kernel-internal restart codes
// (ERESTARTSYS, ...); empty when unknown.
std::string_view errno_name(int err);
// strerror-like text as strace prints in the parentheses ("No such file or directory"),
// including the restart codes ("To be restarted if SA_RESTART is set").
std::string_view errno_text(int err);

}  // namespace ptk::sys
