// A SyscallContext without a tracee, for the --rewrite rule tests: the "tracee" is the test
// process itself (its memory is read and written through ptk::Memory on getpid(), as a real
// tracee's would be), registers are an array, and borrowed memory is owned by the context.
#pragma once

#include <unistd.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "ptk/arch/syscalls.h"
#include "ptk/tamper/hook.h"

namespace ptk::tamper::testing {

class FakeContext final : public SyscallContext {
 public:
  FakeContext(Arch arch, std::string_view name, std::array<std::uint64_t, 6> args)
      : mem_(::getpid()) {
    sc_.pid = sc_.tid = ::getpid();
    sc_.arch = arch;
    sc_.spec = find_syscall(arch, name);
    sc_.nr = sc_.spec != nullptr ? sc_.spec->nr : -1;
    sc_.raw_args = args;
    args_ = args;
  }

  // Moves to the exit stop; the "kernel" returned `kernel_ret` (ignored when skipped).
  void exit_with(std::int64_t kernel_ret) {
    phase_ = Phase::Exit;
    ret_ = skipped_ ? skip_ret_ : kernel_ret;
  }

  // What the hook did.
  const std::array<std::uint64_t, 6>& args() const { return args_; }
  bool skipped() const { return skipped_; }
  std::int64_t skip_value() const { return skip_ret_; }
  const std::string& marks() const { return marks_; }
  const std::vector<int>& raised() const { return raised_; }
  std::chrono::microseconds delayed() const { return delayed_; }
  std::size_t borrowed() const { return arena_.size(); }
  bool fail_borrow = false;

  Phase phase() const override { return phase_; }
  const sys::DecodedSyscall& syscall() const override { return sc_; }
  std::uint64_t arg(int i) const override { return args_[static_cast<std::size_t>(i)]; }
  Status set_arg(int i, std::uint64_t value) override {
    if (phase_ != Phase::Entry) return Error(ErrorKind::InvalidArgument, "set_arg at exit");
    args_[static_cast<std::size_t>(i)] = value;
    return ok_status();
  }
  Status set_syscall(std::int64_t) override { return Error(ErrorKind::Unsupported, "set_syscall"); }
  Status skip(std::int64_t retval) override {
    if (phase_ != Phase::Entry) return Error(ErrorKind::InvalidArgument, "skip at exit");
    skipped_ = true;
    skip_ret_ = retval;
    return ok_status();
  }
  std::int64_t ret() const override { return ret_; }
  Status set_return(std::int64_t value) override {
    if (phase_ != Phase::Exit) return Error(ErrorKind::InvalidArgument, "set_return at entry");
    ret_ = value;
    return ok_status();
  }
  Memory& memory() override { return mem_; }
  Result<RemotePtr<void>> borrow(std::size_t size) override {
    if (fail_borrow) return Error(ErrorKind::BadAddress, "borrow");
    arena_.push_back(std::make_unique<std::vector<std::byte>>(size));
    return RemotePtr<void>(reinterpret_cast<std::uint64_t>(arena_.back()->data()));
  }
  Result<RemotePtr<char>> push_string(std::string_view s) override {
    auto p = borrow(s.size() + 1);
    if (!p.ok()) return p.error();
    auto* bytes = reinterpret_cast<char*>(p->addr());
    s.copy(bytes, s.size());
    bytes[s.size()] = '\0';
    return p->cast<char>();
  }
  Status raise(int sig) override {
    raised_.push_back(sig);
    return ok_status();
  }
  void delay(std::chrono::microseconds d) override { delayed_ += d; }
  void mark(std::string_view note) override {
    if (!marks_.empty()) marks_ += ' ';
    marks_ += note;
  }
  void args_poked() override { args_poked_ = true; }
  bool was_args_poked() const { return args_poked_; }

 private:
  sys::DecodedSyscall sc_;
  Memory mem_;
  Phase phase_ = Phase::Entry;
  std::array<std::uint64_t, 6> args_{};
  bool skipped_ = false;
  std::int64_t skip_ret_ = 0;
  std::int64_t ret_ = 0;
  std::string marks_;
  bool args_poked_ = false;
  std::vector<int> raised_;
  std::chrono::microseconds delayed_{0};
  std::vector<std::unique_ptr<std::vector<std::byte>>> arena_;
};

// A local object's address as a syscall argument.
template <typename T>
std::uint64_t addr_of(const T* p) {
  return reinterpret_cast<std::uint64_t>(p);
}

}  // namespace ptk::tamper::testing
