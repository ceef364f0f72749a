#include "ptk/sys/path_filter.h"

#include <fnmatch.h>
#include <limits.h>
#include <stdlib.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <span>
#include <vector>

namespace ptk::sys {
namespace {

constexpr std::size_t kPathMax = 4096;

}  // namespace

std::string PathFilter::add(std::string glob) {
  // realpath(3) is resolved once, at startup: a file created later is matched only by what
  // was given (strace's -P resolves the same way, strace(1) "Filtering").
  std::string canonical;
  if (char* resolved = ::realpath(glob.c_str(), nullptr); resolved != nullptr) {
    if (glob != resolved) canonical = resolved;
    std::free(resolved);
  }
  globs_.push_back(std::move(glob));
  if (!canonical.empty()) globs_.push_back(canonical);
  return canonical;
}

bool PathFilter::matches_path(std::string_view path) const {
  std::string p(path);
  for (const std::string& g : globs_) {
    if (::fnmatch(g.c_str(), p.c_str(), 0) == 0) return true;
  }
  return false;
}

bool PathFilter::matches(const DecodedSyscall& sc, Memory& mem, const FdPathFn& fd_path) const {
  if (sc.spec == nullptr) return false;
  const std::string_view name = sc.spec->name;
  if (name == "fsconfig") return fsconfig_matches(sc, mem, fd_path);
  if (!fd_path) return args_match(sc, mem, fd_path);
  if (name == "poll" || name == "ppoll") return poll_matches(sc, mem, fd_path);
  if (name == "select" || name == "_newselect" || name == "pselect6") {
    return select_matches(sc, sc.raw_args, mem, fd_path);
  }
  if (name == "oldselect") {
    // i386's old select(2) takes one pointer to its five arguments.
    std::array<std::uint32_t, 5> words{};
    auto bytes = std::as_writable_bytes(std::span(words));
    if (!mem.read_exact(RemoteAddr(sc.raw_args[0]), bytes).ok()) return false;
    std::array<std::uint64_t, 6> args{};
    std::copy(words.begin(), words.end(), args.begin());
    return select_matches(sc, args, mem, fd_path);
  }
  return args_match(sc, mem, fd_path);
}

bool PathFilter::args_match(const DecodedSyscall& sc, Memory& mem, const FdPathFn& fd_path) const {
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

bool PathFilter::fd_matches(const DecodedSyscall& sc, std::int64_t fd,
                            const FdPathFn& fd_path) const {
  return fd >= 0 && matches_path(fd_path(sc.pid, static_cast<int>(fd)));
}

// poll/ppoll: every descriptor of the pollfd array, up to the first unreadable entry.
bool PathFilter::poll_matches(const DecodedSyscall& sc, Memory& mem,
                              const FdPathFn& fd_path) const {
  constexpr std::uint64_t kPollfdSize = 8;  // int fd; short events, revents
  std::uint64_t start = sc.raw_args[0];
  auto nfds = std::min<std::uint64_t>(static_cast<std::uint32_t>(sc.raw_args[1]), kMaxFds);
  for (std::uint64_t i = 0; i < nfds; ++i) {
    std::int32_t fd = 0;
    auto bytes = std::as_writable_bytes(std::span(&fd, 1));
    if (!mem.read_exact(RemoteAddr(start + i * kPollfdSize), bytes).ok()) return false;
    if (fd_matches(sc, fd, fd_path)) return true;
  }
  return false;
}

// select and its relatives: the descriptors set in any of the three fd_sets, below nfds.
bool PathFilter::select_matches(const DecodedSyscall& sc, std::span<const std::uint64_t> args,
                                Memory& mem, const FdPathFn& fd_path) const {
  auto nfds = static_cast<std::int32_t>(args[0]);  // the kernel reads an int
  if (nfds <= 0) return false;
  auto n = std::min<std::uint64_t>(static_cast<std::uint64_t>(nfds), kMaxFds);
  std::size_t word = static_cast<std::size_t>(abi(sc.arch).word_size);
  std::size_t size = ((n + 7) / 8 + word - 1) / word * word;  // whole longs, as the kernel
  std::vector<std::uint8_t> bits(size);
  for (std::size_t set = 1; set <= 3; ++set) {
    std::uint64_t addr =
        abi(sc.arch).word_size == 4 ? static_cast<std::uint32_t>(args[set]) : args[set];
    if (addr == 0) continue;
    if (!mem.read_exact(RemoteAddr(addr), std::as_writable_bytes(std::span(bits))).ok()) continue;
    for (std::uint64_t fd = 0; fd < n; ++fd) {
      if ((bits[fd / 8] >> (fd % 8) & 1) != 0 &&
          fd_matches(sc, static_cast<std::int64_t>(fd), fd_path)) {
        return true;
      }
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
