// What -y, -yy and --decode-fds=SET print about a descriptor between '<' and '>', as strace
// 6.1 does: a path, a socket's addresses, a device's numbers, a pidfd's process.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ptk::sys {

// The kinds of --decode-fds=SET. strace 6.1 has no signalfd or eventfd decoding (-yy prints
// their anon_inode paths); the bits are accepted for later stracees and print nothing more.
enum FdDecode : unsigned {
  kFdDecodePath = 1,
  kFdDecodeSocket = 2,
  kFdDecodeDev = 4,
  kFdDecodePidfd = 8,
  kFdDecodeSignalfd = 16,
  kFdDecodeEventfd = 32,
  kFdDecodeAll = 63,
};

// strace 6.1 keeps the details it found for a socket, by inode, and prints them again for the
// rest of the trace: after a UDP socket seen bound connects, or after a socketpair's other end
// closed, it still prints what it first found (UDP:[127.0.0.1:5000],
// UNIX-STREAM:[12->13]). A tracer that means to print strace's lines keeps one of these; its
// 1024 slots by the inode's low bits are strace's, so that a collision forgets as strace does.
// Sockets the kernel did not describe are not kept: they are asked about again.
class SocketDetailsCache {
 public:
  SocketDetailsCache() : slots_(kSlots) {}
  const std::string* find(std::uint64_t inode) const;
  void store(std::uint64_t inode, std::string details);

 private:
  static constexpr std::size_t kSlots = 1024;
  struct Slot {
    std::uint64_t inode = 0;
    std::string details;
  };
  std::vector<Slot> slots_;
};

struct FdDetailsOptions {
  unsigned kinds = kFdDecodePath;       // FdDecode bits
  int xlevel = 0;                       // -x: a UNIX socket's path is quoted with it
  bool pid_comm = false;                // -Y: a pidfd's pid with its command name, pid:12<sh>
  SocketDetailsCache* cache = nullptr;  // nullptr: every socket is asked about afresh
};

// A descriptor's text travels as one string (an FdPathFn's result, a token's text): the
// tracee's path, which the renderers escape, then optionally kFdTextSep and text that ptk made
// and escaped itself (a socket's addresses, "<char 1:3>"), printed as it is. readlink never
// returns a NUL, so the separator cannot come from a path.
inline constexpr char kFdTextSep = '\0';

struct FdText {
  std::string_view path;  // escaped when printed
  std::string_view made;  // printed as is
};
FdText split_fd_text(std::string_view text);

// The process pidfd `fd` of process `pid` refers to, from the "Pid:" line of its fdinfo; 0
// when unknown (the kernel writes -1 for a process that is gone, 0 for one outside ptk's pid
// namespace).
long pidfd_pid(pid_t pid, int fd);

// The text of descriptor `fd` of process `pid` (-100: its working directory) for the kinds
// asked, empty when there is nothing to print. Reads /proc and queries NETLINK_SOCK_DIAG from
// ptk's own process (the tracee's network namespace when it is ptk's); sockets are looked up
// in opts.cache first when there is one.
std::string fd_details(pid_t pid, int fd, const FdDetailsOptions& opts);

// A socket's protocol details by its inode, as strace prints them: "TCP:[127.0.0.1:80]",
// "UNIX-STREAM:[12->13]", "NETLINK:[ROUTE:42]"; `proto` is its sockprotoname ("TCP",
// "UNIX-STREAM"). "PROTO:[inode]" when the kernel does not describe it; empty for a protocol
// strace 6.1 does not know (it then prints the socket:[inode] path). With a cache, details
// found there are returned without asking the kernel, and those the kernel gives are kept.
std::string socket_details(std::string_view proto, std::uint64_t inode, int xlevel,
                           SocketDetailsCache* cache = nullptr);

}  // namespace ptk::sys
