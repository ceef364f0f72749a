// -P PATH: report only syscalls that touch a path matching one of the globs, through a path
// argument or through a descriptor argument whose /proc/PID/fd link matches.
#pragma once

#include <string>
#include <vector>

#include "ptk/sys/decode.h"

namespace ptk::sys {

class PathFilter {
 public:
  void add(std::string glob) { globs_.push_back(std::move(glob)); }
  bool empty() const { return globs_.empty(); }
  bool matches_path(std::string_view path) const;
  // Checks the syscall's path and descriptor arguments (by the syscall table's types).
  bool matches(const DecodedSyscall& sc, Memory& mem, const FdPathFn& fd_path) const;

 private:
  bool fsconfig_matches(const DecodedSyscall& sc, Memory& mem, const FdPathFn& fd_path) const;

  std::vector<std::string> globs_;
};

}  // namespace ptk::sys
