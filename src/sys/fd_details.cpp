// -yy: a descriptor's text by kind, in strace 6.1's order of trials (socket, device, pidfd,
// then the plain path), each kind only when --decode-fds= asks for it.
#include "ptk/sys/fd_details.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdlib>

#include "ptk/sys/decode.h"
#include "ptk/sys/escape.h"

namespace ptk::sys {
namespace {

std::string fd_link(pid_t pid, int fd) {
  std::string link =
      fd == -100 ? fmt::format("/proc/{}/cwd", pid) : fmt::format("/proc/{}/fd/{}", pid, fd);
  char target[4096];
  ssize_t n = ::readlink(link.c_str(), target, sizeof target);
  return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
}

// "socket:[12345]" -> 12345; 0 when the path is not a socket's.
std::uint64_t socket_inode(std::string_view path) {
  constexpr std::string_view kPrefix = "socket:[";
  if (!path.starts_with(kPrefix) || !path.ends_with(']')) return 0;
  return std::strtoull(std::string(path.substr(kPrefix.size())).c_str(), nullptr, 10);
}

// The name the kernel gives the socket's protocol ("TCP", "UNIX-STREAM"): strace asks the
// same xattr of the /proc link.
std::string socket_proto(pid_t pid, int fd) {
  std::string link = fmt::format("/proc/{}/fd/{}", pid, fd);
  char name[64];
  ssize_t n = ::getxattr(link.c_str(), "system.sockprotoname", name, sizeof name - 1);
  if (n <= 0) return {};
  std::string proto(name, static_cast<std::size_t>(n));
  while (!proto.empty() && proto.back() == '\0') proto.pop_back();
  return proto;
}

// A character or block device: its path, then "<char 1:3>". strace stats the path; the /proc
// link reaches the same file even from another mount namespace.
bool device_text(pid_t pid, int fd, std::string_view path, std::string& out) {
  if (!path.starts_with('/')) return false;
  struct stat st {};
  if (::stat(fmt::format("/proc/{}/fd/{}", pid, fd).c_str(), &st) != 0) return false;
  if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode)) return false;
  out.assign(path);
  out += kFdTextSep;
  fmt::format_to(std::back_inserter(out), "<{} {}:{}>", S_ISBLK(st.st_mode) ? "block" : "char",
                 major(st.st_rdev), minor(st.st_rdev));
  return true;
}

// The process a pidfd refers to, from the "Pid:" line of its fdinfo; 0 when unknown (-1
// there: the process is gone; 0: it is outside ptk's pid namespace).
long pidfd_pid(pid_t pid, int fd) {
  std::string name = fmt::format("/proc/{}/fdinfo/{}", pid, fd);
  int f = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
  if (f < 0) return 0;
  char buf[1024];
  ssize_t n = ::read(f, buf, sizeof buf - 1);
  ::close(f);
  if (n <= 0) return 0;
  std::string_view info(buf, static_cast<std::size_t>(n));
  std::size_t at = info.find("\nPid:");
  if (at == std::string_view::npos) return 0;
  long value = std::strtol(buf + at + 5, nullptr, 10);
  return value > 0 ? value : 0;
}

bool pidfd_text(pid_t pid, int fd, std::string_view path, const FdDetailsOptions& opts,
                std::string& out) {
  if (path != "anon_inode:[pidfd]") return false;
  long target = pidfd_pid(pid, fd);
  if (target <= 0) return false;
  out.clear();
  out += kFdTextSep;
  fmt::format_to(std::back_inserter(out), "pid:{}", target);
  if (opts.pid_comm) {
    // -Y names it as any pid: pid:12<sh>.
    std::string comm = process_comm(target);
    if (!comm.empty()) {
      out += '<';
      append_fd_path(out, comm, opts.xlevel);
      out += '>';
    }
  }
  return true;
}

}  // namespace

FdText split_fd_text(std::string_view text) {
  std::size_t at = text.find(kFdTextSep);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + 1)};
}

std::string fd_details(pid_t pid, int fd, const FdDetailsOptions& opts) {
  if (fd == -100) return (opts.kinds & kFdDecodePath) ? fd_link(pid, fd) : std::string();
  std::string path = fd_link(pid, fd);
  if (path.empty()) return {};
  std::string out;
  if (opts.kinds & kFdDecodeSocket) {
    if (std::uint64_t inode = socket_inode(path); inode != 0) {
      std::string details = socket_details(socket_proto(pid, fd), inode, opts.xlevel, opts.cache);
      if (!details.empty()) return std::string(1, kFdTextSep) + details;
    }
  }
  if ((opts.kinds & kFdDecodeDev) && device_text(pid, fd, path, out)) return out;
  if ((opts.kinds & kFdDecodePidfd) && pidfd_text(pid, fd, path, opts, out)) return out;
  if (!(opts.kinds & kFdDecodePath)) return {};
  // The kernel adds " (deleted)" to an unlinked file's link; a name that ends so itself is
  // told apart as strace does: the link's file is the one the name leads to. The renderers
  // see it by the empty text after kFdTextSep and keep the name whole.
  constexpr std::string_view kDeleted = " (deleted)";
  if (std::string_view(path).ends_with(kDeleted)) {
    struct stat by_link {};
    struct stat by_name {};
    if (::stat(fmt::format("/proc/{}/fd/{}", pid, fd).c_str(), &by_link) == 0 &&
        ::lstat(path.c_str(), &by_name) == 0 && by_link.st_ino == by_name.st_ino &&
        by_link.st_dev == by_name.st_dev) {
      path += kFdTextSep;
    }
  }
  return path;
}

}  // namespace ptk::sys
