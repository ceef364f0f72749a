#include "ptk/sys/path_filter.h"

#include <fnmatch.h>

namespace ptk::sys {
namespace {

constexpr std::size_t kPathMax = 4096;

}  // namespace

bool PathFilter::matches_path(std::string_view path) const {
  std::string p(path);
  for (const std::string& g : globs_) {
    if (::fnmatch(g.c_str(), p.c_str(), 0) == 0) return true;
  }
  return false;
}

bool PathFilter::matches(const DecodedSyscall& sc, Memory& mem, const FdPathFn& fd_path) const {
  if (sc.spec == nullptr) return false;
  if (sc.spec->name == "fsconfig") return fsconfig_matches(sc, mem, fd_path);
  int word = abi(sc.arch).word_size;
  for (int i = 0; i < sc.spec->nargs; ++i) {
    const ArgSpec& a = sc.spec->args[static_cast<std::size_t>(i)];
    std::uint64_t v = sc.raw_args[static_cast<std::size_t>(i)];
    if (word == 4) v = static_cast<std::uint32_t>(v);
    if (a.type == ArgType::Path && v != 0) {
      auto s = mem.read_string(RemoteAddr(v), kPathMax);
      if (s.ok() && matches_path(s->bytes)) return true;
    } else if ((a.type == ArgType::Fd || a.type == ArgType::DirFd) && fd_path) {
      auto fd = static_cast<std::int32_t>(v);
      if (fd >= 0 && matches_path(fd_path(sc.pid, fd))) return true;
    }
  }
  return false;
}

// fsconfig's value is a path and its aux a descriptor only for some commands; the fs_fd in
// front is a filesystem context, never a file (strace does not match it either).
bool PathFilter::fsconfig_matches(const DecodedSyscall& sc, Memory& mem,
                                  const FdPathFn& fd_path) const {
  constexpr std::uint32_t kSetPath = 3, kSetPathEmpty = 4, kSetFd = 5;
  auto cmd = static_cast<std::uint32_t>(sc.raw_args[1]);
  if (cmd != kSetPath && cmd != kSetPathEmpty && cmd != kSetFd) return false;
  auto fd = static_cast<std::int32_t>(sc.raw_args[4]);
  if (fd >= 0 && fd_path && matches_path(fd_path(sc.pid, fd))) return true;
  std::uint64_t value = sc.raw_args[3];
  if (abi(sc.arch).word_size == 4) value = static_cast<std::uint32_t>(value);
  if (cmd == kSetFd || value == 0) return false;
  auto s = mem.read_string(RemoteAddr(value), kPathMax);
  return s.ok() && matches_path(s->bytes);
}

}  // namespace ptk::sys
