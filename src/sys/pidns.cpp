// PidTranslator: ids of other pid namespaces in ours, from /proc (see pidns.h).
#include "ptk/sys/pidns.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <string>

#include "ptk/base/unique_fd.h"

namespace ptk::sys {
namespace {

// Linux allows 32 nested pid namespaces (since 3.7).
constexpr std::size_t kMaxDepth = 32;
// Cached ids; past it the cache starts over (a long trace of many namespaces stays bounded).
constexpr std::size_t kMaxCached = 4096;

std::string proc_path(int proc_pid, std::string_view leaf) {
  char buf[64];
  if (proc_pid == 0) {
    std::snprintf(buf, sizeof buf, "/proc/self/%.*s", static_cast<int>(leaf.size()), leaf.data());
  } else {
    std::snprintf(buf, sizeof buf, "/proc/%d/%.*s", proc_pid, static_cast<int>(leaf.size()),
                  leaf.data());
  }
  return buf;
}

// The task's pid namespace, then each parent up to the caller's: NS_GET_PARENT fails with
// EPERM above it. Empty when the task is gone or not ours to look at.
std::vector<std::uint64_t> ns_chain(int proc_pid, bool& unsupported) {
  std::vector<std::uint64_t> chain;
  UniqueFd fd(::open(proc_path(proc_pid, "ns/pid").c_str(), O_RDONLY | O_CLOEXEC));
  while (fd && chain.size() < kMaxDepth) {
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) break;
    chain.push_back(st.st_ino);
    int parent = ::ioctl(fd.get(), NS_GET_PARENT);
    if (parent < 0) {
      if (errno == ENOTTY) unsupported = true;  // before Linux 4.9
      break;
    }
    fd.reset(parent);
  }
  return chain;
}

std::string read_status(int proc_pid) {
  UniqueFd fd(::open(proc_path(proc_pid, "status").c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return {};
  std::string text(4096, '\0');
  std::size_t used = 0;
  for (;;) {
    ssize_t n = ::read(fd.get(), text.data() + used, text.size() - used);
    if (n <= 0) break;
    used += static_cast<std::size_t>(n);
    if (used == text.size()) {
      if (text.size() >= 65536) break;
      text.resize(text.size() * 2);
    }
  }
  text.resize(used);
  return text;
}

std::optional<std::int32_t> number(std::string_view s) {
  std::int32_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

namespace pidns_detail {

std::optional<std::vector<std::int32_t>> status_ids(std::string_view status, PidKind kind) {
  static constexpr std::string_view kLines[] = {"\nNSpid:", "\nNStgid:", "\nNSpgid:", "\nNSsid:"};
  std::string_view key = kLines[static_cast<int>(kind)];
  std::size_t at = status.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view line = status.substr(at + key.size());
  line = line.substr(0, line.find('\n'));
  std::vector<std::int32_t> ids;
  while (!line.empty()) {
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) break;
    line.remove_prefix(start);
    std::size_t end = line.find_first_of(" \t");
    auto v = number(line.substr(0, end));
    if (!v || ids.size() >= kMaxDepth) return std::nullopt;
    ids.push_back(*v);
    line.remove_prefix(end == std::string_view::npos ? line.size() : end);
  }
  if (ids.empty()) return std::nullopt;
  return ids;
}

std::optional<std::int32_t> match(const std::vector<std::uint64_t>& chain,
                                  const std::vector<std::int32_t>& ids, std::uint64_t from_ns,
                                  std::int32_t id) {
  // ids run from /proc's namespace down to the task's own; chain from the task's own up to
  // ours. Ours is chain.back(), so our id is the chain's length from the end of ids.
  if (chain.empty() || ids.size() < chain.size()) return std::nullopt;
  for (std::size_t i = 0; i < chain.size(); ++i) {
    if (chain[i] != from_ns) continue;
    if (ids[ids.size() - 1 - i] != id) return std::nullopt;
    return ids[ids.size() - chain.size()];
  }
  return std::nullopt;
}

}  // namespace pidns_detail

std::int32_t PidNsView::ours(std::int32_t pid, PidKind kind) const {
  if (translator == nullptr || pid <= 0) return 0;
  std::int32_t v = translator->translate(tid, pid, kind);
  return v == pid ? 0 : v;
}

void ours_note(TokenList& out, std::int32_t ours) {
  if (ours == 0) return;
  char text[48];
  std::snprintf(text, sizeof text, "%d in strace's PID NS", ours);
  out.comment(text);
}

void pid_note(TokenList& out, const PidNsView& ns, std::int32_t pid, PidKind kind) {
  ours_note(out, ns.ours(pid, kind));
}

PidTranslator::PidTranslator() {
  struct stat st {};
  if (::stat("/proc/self/ns/pid", &st) == 0) our_ns_ = st.st_ino;
  // /proc mounted by an outer namespace (strace's suite runs the tracer under `unshare -p`
  // without remounting it) names tasks by that namespace's pids, not by ours.
  auto ids = pidns_detail::status_ids(read_status(0), PidKind::Tid);
  proc_is_ours_ = !ids || ids->size() <= 1;
}

std::int32_t PidTranslator::translate(pid_t tid, std::int32_t id, PidKind kind) {
  if (id <= 0 || our_ns_ == 0 || unsupported_) return 0;
  std::uint64_t from = ns_of(tid);
  if (from == 0) return 0;
  if (from == our_ns_) return id;
  auto found = find(from, id, kind);
  return found ? found->our_id : 0;
}

int PidTranslator::proc_pid(pid_t tid) {
  if (proc_is_ours_ || our_ns_ == 0 || unsupported_) return tid;
  auto found = find(our_ns_, tid, PidKind::Tid);
  return found ? found->proc_pid : tid;
}

std::uint64_t PidTranslator::ns_of(pid_t tid) {
  if (auto it = tid_ns_.find(tid); it != tid_ns_.end()) return it->second;
  int proc_pid = tid;
  if (!proc_is_ours_) {
    auto found = find(our_ns_, tid, PidKind::Tid);
    if (!found) return 0;
    proc_pid = found->proc_pid;
  }
  struct stat st {};
  if (::stat(proc_path(proc_pid, "ns/pid").c_str(), &st) != 0) return 0;
  if (tid_ns_.size() >= kMaxCached) tid_ns_.clear();
  tid_ns_[tid] = st.st_ino;
  return st.st_ino;
}

std::optional<PidTranslator::Found> PidTranslator::check(int proc_pid, std::uint64_t from_ns,
                                                         std::int32_t id, PidKind kind) {
  std::vector<std::uint64_t> chain = ns_chain(proc_pid, unsupported_);
  if (chain.empty()) return std::nullopt;
  auto ids = pidns_detail::status_ids(read_status(proc_pid), kind);
  if (!ids) return std::nullopt;
  auto ours = pidns_detail::match(chain, *ids, from_ns, id);
  if (!ours) return std::nullopt;
  return Found{proc_pid, *ours};
}

std::optional<PidTranslator::Found> PidTranslator::find(std::uint64_t from_ns, std::int32_t id,
                                                        PidKind kind) {
  Key key{from_ns, kind, id};
  if (auto it = where_.find(key); it != where_.end()) {
    // Checked again: the task may be gone and its pid reused.
    if (auto f = check(it->second, from_ns, id, kind)) return f;
    where_.erase(it);
  }
  // A thread's id needs the task directories; the other kinds are shared by the threads.
  auto found = scan("/proc", from_ns, id, kind, kind == PidKind::Tid);
  if (found) {
    if (where_.size() >= kMaxCached) where_.clear();
    where_[key] = found->proc_pid;
  }
  return found;
}

std::optional<PidTranslator::Found> PidTranslator::scan(std::string_view dir, std::uint64_t from_ns,
                                                        std::int32_t id, PidKind kind, bool tasks) {
  DIR* d = ::opendir(std::string(dir).c_str());
  if (d == nullptr) return std::nullopt;
  std::optional<Found> found;
  while (!found && !unsupported_) {
    dirent* e = ::readdir(d);
    if (e == nullptr) break;
    auto pid = number(e->d_name);
    if (!pid || *pid <= 0) continue;
    if (tasks) found = scan(proc_path(*pid, "task"), from_ns, id, kind, false);
    if (!found) found = check(*pid, from_ns, id, kind);
  }
  ::closedir(d);
  return found;
}

}  // namespace ptk::sys
