#include "context.h"

#include <fmt/format.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace ptk::tamper {
namespace {

constexpr std::size_t kMaxScratch = 64 * 1024;  // per syscall
constexpr std::uint64_t kScratchAlign = 16;     // the stack alignment of both ABIs

}  // namespace

Status ContextImpl::entry_only(const char* what) const {
  if (phase_ == Phase::Entry) return ok_status();
  return Error(ErrorKind::InvalidArgument, fmt::format("{} at the exit of {}", what, sc_.name()), 0,
               "only at the syscall's entry");
}

Status ContextImpl::exit_only(const char* what) const {
  if (phase_ == Phase::Exit) return ok_status();
  return Error(ErrorKind::InvalidArgument, fmt::format("{} at the entry of {}", what, sc_.name()),
               0, "only at the syscall's exit (skip() sets the result at entry)");
}

std::uint64_t ContextImpl::arg(int i) const {
  if (i < 0 || i >= 6) return 0;
  return rec_.args[static_cast<std::size_t>(i)];
}

Status ContextImpl::set_arg(int i, std::uint64_t value) {
  PTK_TRY(entry_only("set_arg"));
  if (i < 0 || i >= 6) {
    return Error(ErrorKind::InvalidArgument, fmt::format("set_arg({})", i), 0,
                 "syscall arguments are numbered 0..5");
  }
  // The ABI's view: an i386 argument is 32 bits wide.
  if (abi(rec_.arch).word_size == 4) value &= 0xffffffffu;
  rec_.args[static_cast<std::size_t>(i)] = value;
  return ok_status();
}

Status ContextImpl::set_syscall(std::int64_t nr) {
  PTK_TRY(entry_only("set_syscall"));
  if (nr < 0) {
    return Error(ErrorKind::InvalidArgument, fmt::format("set_syscall({})", nr), 0,
                 "use skip() to run no syscall");
  }
  rec_.nr = nr;
  rec_.skipped = false;  // the last of skip() and set_syscall() decides
  return ok_status();
}

Status ContextImpl::skip(std::int64_t retval) {
  PTK_TRY(entry_only("skip"));
  rec_.skipped = true;
  rec_.skip_ret = retval;
  return ok_status();
}

Status ContextImpl::set_return(std::int64_t value) {
  PTK_TRY(exit_only("set_return"));
  if (abi(rec_.arch).word_size == 4) value = static_cast<std::int32_t>(value);
  sc_.ret = value;
  sc_.is_error = is_error_value(value);
  rec_.ret_changed = true;
  return ok_status();
}

Result<RemotePtr<void>> ContextImpl::borrow(std::size_t size) {
  if (size == 0 || size > kMaxScratch) {
    return Error(ErrorKind::InvalidArgument, fmt::format("borrow({})", size), 0,
                 fmt::format("1 to {} bytes per syscall", kMaxScratch));
  }
  if (rec_.new_image) {
    return Error(ErrorKind::InvalidArgument, "borrow after execve", 0,
                 "the program's old stack is gone");
  }
  if (rec_.scratch_top == 0) {
    PTK_ASSIGN_OR_RETURN(Registers regs, session_.get_regs(rec_.tid));
    // The thread's own mode decides the stack (an `int $0x80` from 64-bit code runs on a
    // 64-bit stack with its red zone); take the larger red zone of the two to be safe.
    std::uint16_t red = std::max(abi(regs.arch()).red_zone, abi(rec_.arch).red_zone);
    rec_.scratch_top = rec_.scratch_next = regs.sp() - red;
  }
  std::uint64_t addr = (rec_.scratch_next - size) & ~(kScratchAlign - 1);
  if (rec_.scratch_top - addr > kMaxScratch) {
    return Error(ErrorKind::InvalidArgument, fmt::format("borrow({})", size), 0,
                 fmt::format("at most {} bytes in all per syscall", kMaxScratch));
  }
  Borrowed b{addr, std::vector<std::byte>(size)};
  if (Status s = memory().read_exact(RemoteAddr(addr), b.saved); !s.ok()) {
    return Error(ErrorKind::BadAddress,
                 fmt::format("borrow {} bytes at {:#x} below the stack pointer", size, addr), 0,
                 "the stack is not mapped that far down");
  }
  rec_.borrowed.push_back(std::move(b));
  rec_.scratch_next = addr;
  return RemotePtr<void>(addr);
}

Result<RemotePtr<char>> ContextImpl::push_string(std::string_view s) {
  PTK_ASSIGN_OR_RETURN(RemotePtr<void> p, borrow(s.size() + 1));
  std::vector<std::byte> bytes(s.size() + 1);
  std::transform(s.begin(), s.end(), bytes.begin(), [](char c) { return std::byte(c); });
  PTK_TRY(memory().write(p.bytes(), bytes));
  return p.cast<char>();
}

Status ContextImpl::raise(int sig) {
  if (sig < 1 || sig > 64) {
    return Error(ErrorKind::InvalidArgument, fmt::format("raise({})", sig), 0, "signals are 1..64");
  }
  // Given with the restart of the syscall stop, the kernel sends it itself after the stop
  // (ptrace_report_syscall: send_sig with SEND_SIG_PRIV), so the program sees si_code
  // SI_KERNEL as under strace's inject, not a tgkill from ptk (SI_TKILL, si_pid of ptk).
  return session_.set_pending_signal(rec_.tid, sig);
}

void ContextImpl::mark(std::string_view note) {
  if (note.empty() || sc_.note.find(note) != std::string::npos) return;
  if (!sc_.note.empty()) sc_.note += ' ';
  sc_.note += note;
}

}  // namespace ptk::tamper
