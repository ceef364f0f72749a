// Syscall selection as strace's -e trace= spells it, per ABI.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/arch/syscalls.h"
#include "ptk/base/result.h"

namespace ptk::sys {

class SyscallFilter {
 public:
  static constexpr std::size_t kMaxNr = 1024;

  // Everything selected (strace's default).
  SyscallFilter() { all(); }

  void all() {
    for (auto& s : sets_) s.set();
    everything_ = true;
  }
  void none() {
    for (auto& s : sets_) s.reset();
    everything_ = false;
  }
  bool selects(Arch arch, std::int64_t nr) const {
    if (nr < 0 || static_cast<std::size_t>(nr) >= kMaxNr) return everything_;
    return sets_[static_cast<std::size_t>(arch)][static_cast<std::size_t>(nr)];
  }
  void set(Arch arch, std::int64_t nr, bool on);
  bool selects_all() const { return everything_; }
  // The selected numbers of one ABI (for a seccomp filter).
  std::vector<int> selected(Arch arch) const;

  // Parses the value of -e trace= as strace does (strace(1), "Filtering"), e.g. "open,%network".
  // A set is [!...]ELEMENT[,ELEMENT]... or [!...]none; each '!' negates it once more, and empty
  // elements are skipped. An ELEMENT is [?...]VALUE[@64|@32|@x32]: VALUE is a syscall name, a
  // decimal number, %class (or one of strace's seven bare class names: file process network
  // signal ipc desc memory), /regex (POSIX extended) or all; '?' makes a VALUE that matches
  // nothing no error; the suffix limits VALUE to x86_64 (@64), i386 (@32) or x32 (@x32, which
  // ptk does not trace: checked against x86_64's names, it selects nothing). Errors are one
  // line naming the invalid element, with close names as hints.
  static Result<SyscallFilter> parse(std::string_view expr);

 private:
  std::bitset<kMaxNr> sets_[kArchCount];  // indexed by Arch
  bool everything_ = true;
};

// Names of syscalls (over all ABIs) closest to `name`, for "did you mean" hints.
std::vector<std::string> nearest_syscall_names(std::string_view name, std::size_t max = 3);

}  // namespace ptk::sys
