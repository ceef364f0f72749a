// -P PATH: report only syscalls that touch a path matching one of the globs, through a path
// argument or through a descriptor argument whose /proc/PID/fd link matches.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ptk/sys/decode.h"

namespace ptk::sys {

class PathFilter {
 public:
  // Also selects the path's canonical form when it names an existing file, as strace does
  // ("-P dir/../f" matches the descriptor whose /proc link reads "/abs/f").
  // Returns that canonical form when it differs from `glob` and was added, else empty.
  std::string add(std::string glob);
  bool empty() const { return globs_.empty(); }
  bool matches_path(std::string_view path) const;
  // Checks the syscall's path and descriptor arguments (by the syscall table's types).
  bool matches(const DecodedSyscall& sc, Memory& mem, const FdPathFn& fd_path) const;

 private:
  // strace's bound on the descriptors of a poll array or select set it looks at.
  static constexpr std::uint64_t kMaxFds = 1024 * 1024;

  bool args_match(const DecodedSyscall& sc, Memory& mem, const FdPathFn& fd_path) const;
  bool fd_matches(const DecodedSyscall& sc, std::int64_t fd, const FdPathFn& fd_path) const;
  bool poll_matches(const DecodedSyscall& sc, Memory& mem, const FdPathFn& fd_path) const;
  bool select_matches(const DecodedSyscall& sc, std::span<const std::uint64_t> args, Memory& mem,
                      const FdPathFn& fd_path) const;
  bool fsconfig_matches(const DecodedSyscall& sc, Memory& mem, const FdPathFn& fd_path) const;

  std::vector<std::string> globs_;
};

}  // namespace ptk::sys
