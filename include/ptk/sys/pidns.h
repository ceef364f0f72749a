// Pid namespace translation (strace --decode-pids=pidns): a pid as a tracee in another pid
// namespace passed or got it, and the same process's pid in the tracer's namespace.
//
// The kernel offers no direct call for this. /proc/PID/status lists a task's ids in every
// namespace from /proc's down to its own (NSpid, NStgid, NSpgid, NSsid), and
// /proc/PID/ns/pid with ioctl(NS_GET_PARENT) (Linux 4.9) walks its namespaces from its own
// up to the caller's. Matching the two finds the task an id of a namespace stands for; the
// answers are cached (bounded) and checked again on use, since pids are reused.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "ptk/sys/tokens.h"

namespace ptk::sys {

// Which id of a task a number is: the status line it is looked up in.
enum class PidKind : std::uint8_t { Tid, Tgid, Pgid, Sid };

class PidTranslator {
 public:
  PidTranslator();

  // `id` as thread `tid` (a tid of the tracer's namespace) sees it, in the tracer's
  // namespace; 0 when unknown (no such task, no permission, a kernel without NS_GET_PARENT).
  std::int32_t translate(pid_t tid, std::int32_t id, PidKind kind);
  // The directory in /proc of thread `tid` (of our namespace): `tid` itself unless /proc
  // belongs to an outer namespace; `tid` too when it cannot be found there.
  int proc_pid(pid_t tid);
  // The thread is gone: its tid may come back as another task's.
  void forget(pid_t tid) { tid_ns_.erase(tid); }

 private:
  struct Found {
    int proc_pid;         // the task's directory in /proc
    std::int32_t our_id;  // its id in our namespace
  };
  using Key = std::tuple<std::uint64_t, PidKind, std::int32_t>;  // namespace, kind, id

  std::uint64_t ns_of(pid_t tid);
  std::optional<Found> check(int proc_pid, std::uint64_t from_ns, std::int32_t id, PidKind kind);
  std::optional<Found> find(std::uint64_t from_ns, std::int32_t id, PidKind kind);
  std::optional<Found> scan(std::string_view dir, std::uint64_t from_ns, std::int32_t id,
                            PidKind kind, bool tasks);

  std::uint64_t our_ns_ = 0;
  bool proc_is_ours_ = true;
  bool unsupported_ = false;  // no NS_GET_PARENT (before Linux 4.9): no translation
  std::unordered_map<pid_t, std::uint64_t> tid_ns_;  // a tracee's pid namespace (its inode)
  std::map<Key, int> where_;                         // the /proc entry an id was found at
};

// A translator (or none) and the thread whose namespace the pids are in, for the decoders
// that have no DecodeCtx (a signal's siginfo).
struct PidNsView {
  PidTranslator* translator = nullptr;
  pid_t tid = 0;

  // The pid in the tracer's namespace when it differs from `pid`, else 0.
  std::int32_t ours(std::int32_t pid, PidKind kind) const;
};

// After a pid just appended: the comment strace shows when its translation differs,
// " /* 1234 in strace's PID NS */".
void pid_note(TokenList& out, const PidNsView& ns, std::int32_t pid, PidKind kind);
// The same with the translation already known (PidNsView::ours; 0: no comment).
void ours_note(TokenList& out, std::int32_t ours);

// Implementation details, exposed for tests.
namespace pidns_detail {
// The ids of a "NSpid:\t9\t1" style line of a status file, outermost namespace first.
std::optional<std::vector<std::int32_t>> status_ids(std::string_view status, PidKind kind);
// Given a task's namespaces (its own first, then each parent up to ours) and its ids of one
// kind (outermost first), the id in our namespace when `id` is its id in `from_ns`.
std::optional<std::int32_t> match(const std::vector<std::uint64_t>& chain,
                                  const std::vector<std::int32_t>& ids, std::uint64_t from_ns,
                                  std::int32_t id);
}  // namespace pidns_detail

}  // namespace ptk::sys
