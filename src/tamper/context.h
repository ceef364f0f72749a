// The concrete SyscallContext of the Tamperer, and what it records about a tampered syscall
// between its entry and exit stops.
#pragma once

#include <sys/types.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

#include "ptk/core/session.h"
#include "ptk/tamper/hook.h"

namespace ptk::tamper {

// Scratch memory lent to hooks, with the bytes it held before.
struct Borrowed {
  std::uint64_t addr = 0;
  std::vector<std::byte> saved;
};

struct InFlight {
  pid_t pid = 0;
  pid_t tid = 0;
  Arch arch = Arch::X86_64;  // the ABI of this syscall
  std::uint64_t hooks = 0;   // bit i: hook i ran at entry

  // The registers as the entry stop had them, once a change needed them (to give the
  // program's own values back at exit, all 64 bits of them).
  bool have_block = false;
  Registers::HostBlock orig_block{};

  std::int64_t orig_nr = -1;
  std::array<std::uint64_t, 6> orig_args{};
  std::int64_t nr = -1;  // as hooks set it
  std::array<std::uint64_t, 6> args{};
  bool skipped = false;
  std::int64_t skip_ret = 0;

  // Exit: what the kernel returned, and whether the return register must be written.
  std::int64_t kernel_ret = 0;
  bool ret_changed = false;

  std::uint64_t scratch_top = 0;  // sp minus the red zone; 0 until the first borrow
  std::uint64_t scratch_next = 0;
  std::vector<Borrowed> borrowed;

  std::chrono::microseconds delay{0};  // requested in the current phase
  bool new_image = false;              // an execve replaced the address space: nothing to give back

  bool regs_changed() const { return skipped || nr != orig_nr || args != orig_args; }
  bool changed() const { return regs_changed() || !borrowed.empty(); }
};

class ContextImpl final : public SyscallContext {
 public:
  ContextImpl(Session& session, sys::DecodedSyscall& sc, InFlight& rec, Phase phase)
      : session_(session), sc_(sc), rec_(rec), phase_(phase) {}

  Phase phase() const override { return phase_; }
  const sys::DecodedSyscall& syscall() const override { return sc_; }
  std::uint64_t arg(int i) const override;

  Status set_arg(int i, std::uint64_t value) override;
  Status set_syscall(std::int64_t nr) override;
  Status skip(std::int64_t retval) override;

  std::int64_t ret() const override { return sc_.ret; }
  Status set_return(std::int64_t value) override;
  std::int64_t kernel_ret() const override { return rec_.kernel_ret; }

  Memory& memory() override { return session_.memory(rec_.tid); }
  Result<RemotePtr<void>> borrow(std::size_t size) override;
  Result<RemotePtr<char>> push_string(std::string_view s) override;
  Status raise(int sig) override;
  void delay(std::chrono::microseconds d) override { rec_.delay += d; }
  void mark(std::string_view note) override;
  void args_poked() override {
    if (phase_ == Phase::Entry) sc_.args_poked = true;
  }

 private:
  Status entry_only(const char* what) const;
  Status exit_only(const char* what) const;

  Session& session_;
  sys::DecodedSyscall& sc_;
  InFlight& rec_;
  Phase phase_;
};

// Whether a return value is an error as the kernel encodes it (-4095..-1).
inline bool is_error_value(std::int64_t v) { return v < 0 && v >= -4095; }

}  // namespace ptk::tamper
