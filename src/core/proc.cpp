#include "ptk/core/proc.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>

#include "ptk/base/unique_fd.h"

namespace ptk {
namespace {

template <typename T>
bool parse_number(std::string_view s, T& out, int base = 10) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && p == s.data() + s.size();
}

// Splits off the next space-separated field, skipping runs of spaces.
std::string_view next_field(std::string_view& line) {
  std::size_t b = line.find_first_not_of(' ');
  if (b == std::string_view::npos) {
    line = {};
    return {};
  }
  line.remove_prefix(b);
  std::size_t e = line.find(' ');
  std::string_view field = line.substr(0, e);
  line = e == std::string_view::npos ? std::string_view{} : line.substr(e);
  return field;
}

std::optional<MapEntry> parse_map_line(std::string_view line) {
  MapEntry m;
  std::string_view range = next_field(line), perms = next_field(line), off = next_field(line);
  std::string_view dev = next_field(line), inode = next_field(line);
  std::size_t dash = range.find('-');
  if (dash == std::string_view::npos || perms.size() != 4 || dev.empty() || inode.empty()) {
    return std::nullopt;
  }
  if (!parse_number(range.substr(0, dash), m.start, 16) ||
      !parse_number(range.substr(dash + 1), m.end, 16) || !parse_number(off, m.offset, 16) ||
      !parse_number(inode, m.inode)) {
    return std::nullopt;
  }
  m.read = perms[0] == 'r';
  m.write = perms[1] == 'w';
  m.exec = perms[2] == 'x';
  m.shared = perms[3] == 's';
  m.dev = std::string(dev);
  // The path is the rest of the line after the padding; it may contain spaces.
  std::size_t p = line.find_first_not_of(' ');
  if (p != std::string_view::npos) m.path = std::string(line.substr(p));
  return m;
}

}  // namespace

std::optional<std::vector<MapEntry>> parse_maps(std::string_view text) {
  std::vector<MapEntry> out;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty()) continue;
    auto m = parse_map_line(line);
    if (!m) return std::nullopt;
    out.push_back(std::move(*m));
  }
  return out;
}

std::optional<ProcStatus> parse_status(std::string_view text) {
  ProcStatus st;
  bool saw_pid = false;
  while (!text.empty()) {
    std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    std::size_t b = value.find_first_not_of(" \t");
    value = b == std::string_view::npos ? std::string_view{} : value.substr(b);
    auto number = [&](auto& out) {
      return parse_number(value.substr(0, value.find_first_of(" \t")), out);
    };
    auto ids = [&](std::uint32_t(&out)[4]) {
      for (auto& id : out) {
        std::string_view rest = value;
        std::size_t e = rest.find_first_of(" \t");
        if (!parse_number(rest.substr(0, e), id)) return false;
        value = e == std::string_view::npos ? std::string_view{} : rest.substr(e + 1);
        std::size_t s = value.find_first_not_of(" \t");
        value = s == std::string_view::npos ? std::string_view{} : value.substr(s);
      }
      return true;
    };
    if (key == "Name") {
      st.name = std::string(value);
    } else if (key == "State") {
      st.state = value.empty() ? '?' : value[0];
    } else if (key == "Tgid") {
      if (!number(st.tgid)) return std::nullopt;
    } else if (key == "Pid") {
      saw_pid = true;
    } else if (key == "PPid") {
      if (!number(st.ppid)) return std::nullopt;
    } else if (key == "TracerPid") {
      if (!number(st.tracer_pid)) return std::nullopt;
    } else if (key == "Uid") {
      if (!ids(st.uid)) return std::nullopt;
    } else if (key == "Gid") {
      if (!ids(st.gid)) return std::nullopt;
    } else if (key == "Threads") {
      if (!number(st.threads)) return std::nullopt;
    }
  }
  if (!saw_pid || st.tgid == 0) return std::nullopt;
  return st;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> parse_auxv(std::span<const std::byte> data,
                                                                int word_size) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  auto word = [&](std::size_t at) {
    std::uint64_t v = 0;
    std::memcpy(&v, data.data() + at, static_cast<std::size_t>(word_size));  // little-endian
    return v;
  };
  for (std::size_t at = 0; at + 2 * word_size <= data.size(); at += 2 * word_size) {
    std::uint64_t type = word(at);
    if (type == 0) break;  // AT_NULL
    out.emplace_back(type, word(at + word_size));
  }
  return out;
}

Result<std::string> read_proc_file(pid_t pid, std::string_view name) {
  std::string path = fmt::format("/proc/{}/{}", pid, name);
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    int err = errno;
    if (err == ENOENT) {
      return Error(ErrorKind::NoSuchProcess, fmt::format("open {}", path), err,
                   fmt::format("no process with pid {}", pid));
    }
    return Error::from_errno(err, fmt::format("open {}", path));
  }
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::from_errno(errno, fmt::format("read {}", path));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

Result<std::vector<MapEntry>> read_maps(pid_t pid) {
  PTK_ASSIGN_OR_RETURN(std::string text, read_proc_file(pid, "maps"));
  auto maps = parse_maps(text);
  if (!maps) return Error(ErrorKind::Internal, fmt::format("parse /proc/{}/maps", pid));
  return std::move(*maps);
}

Result<ProcStatus> read_status(pid_t pid) {
  PTK_ASSIGN_OR_RETURN(std::string text, read_proc_file(pid, "status"));
  auto st = parse_status(text);
  if (!st) return Error(ErrorKind::Internal, fmt::format("parse /proc/{}/status", pid));
  return std::move(*st);
}

Result<std::vector<pid_t>> list_tasks(pid_t pid) {
  std::string path = fmt::format("/proc/{}/task", pid);
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) {
    int err = errno;
    if (err == ENOENT) return Error(ErrorKind::NoSuchProcess, "open " + path, err);
    return Error::from_errno(err, "open " + path);
  }
  std::vector<pid_t> tids;
  while (dirent* e = ::readdir(dir)) {
    pid_t tid = 0;
    if (parse_number(std::string_view(e->d_name), tid)) tids.push_back(tid);
  }
  ::closedir(dir);
  std::sort(tids.begin(), tids.end());
  return tids;
}

bool process_exists(pid_t pid) {
  return pid > 0 && ::access(fmt::format("/proc/{}", pid).c_str(), F_OK) == 0;
}

namespace {

// The flags field (the 9th) of /proc/PID/stat: the task's PF_* bits (include/linux/sched.h).
std::optional<unsigned long> stat_flags(pid_t pid) {
  auto stat = read_proc_file(pid, "stat");
  if (!stat.ok()) return std::nullopt;
  // The name in parentheses may hold spaces and ')': the fields start after the last ')'.
  std::size_t paren = stat->rfind(')');
  if (paren == std::string::npos) return std::nullopt;
  std::string_view rest = std::string_view(*stat).substr(paren + 1);
  // Fields after the name: state ppid pgrp session tty_nr tpgid flags.
  for (int field = 0; field < 6; ++field) {
    rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
    rest.remove_prefix(std::min(rest.size(), rest.find(' ')));
  }
  rest.remove_prefix(std::min(rest.size(), rest.find_first_not_of(' ')));
  unsigned long flags = 0;
  if (std::from_chars(rest.data(), rest.data() + rest.size(), flags).ec != std::errc()) {
    return std::nullopt;
  }
  return flags;
}

constexpr unsigned long kPfExiting = 0x00000004;
constexpr unsigned long kPfKthread = 0x00200000;

}  // namespace

bool is_kernel_thread(pid_t pid) { return (stat_flags(pid).value_or(0) & kPfKthread) != 0; }

bool process_ending(pid_t pid) {
  auto tids = list_tasks(pid);
  if (!tids.ok()) return true;
  for (pid_t tid : *tids) {
    auto st = read_proc_file(tid, "stat");
    std::size_t paren = st.ok() ? st->rfind(')') : std::string::npos;
    if (paren == std::string::npos || paren + 2 >= st->size()) continue;  // gone meanwhile
    char state = (*st)[paren + 2];
    if (state == 'Z' || state == 'X') continue;
    if ((stat_flags(tid).value_or(kPfExiting) & kPfExiting) != 0) continue;
    // A fatal signal is put in every thread's own pending set at once (complete_signal); the
    // thread may not have run since, but ptrace already refuses it.
    if (thread_signal_pending(tid, SIGKILL)) continue;
    return false;  // a thread that still runs its program
  }
  return true;
}

Error tracee_gone_if_ending(pid_t pid, Error error) {
  if (error.kind() == ErrorKind::TraceeGone || !process_ending(pid)) return error;
  return Error(ErrorKind::TraceeGone, error.call(), ESRCH,
               fmt::format("process {} has ended (it exited or was killed)", pid));
}

std::optional<int> yama_ptrace_scope() {
  UniqueFd fd(::open("/proc/sys/kernel/yama/ptrace_scope", O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  char c = 0;
  if (::read(fd.get(), &c, 1) != 1 || c < '0' || c > '3') return std::nullopt;
  return c - '0';
}

bool thread_signal_pending(pid_t tid, int sig) {
  auto status = read_proc_file(tid, "status");
  if (!status.ok()) return false;
  std::string_view text = *status;
  std::size_t at = text.find("\nSigPnd:");
  if (at == std::string_view::npos) return false;
  unsigned long long mask = std::strtoull(text.data() + at + 8, nullptr, 16);
  return (mask >> (sig - 1)) & 1;
}

}  // namespace ptk
