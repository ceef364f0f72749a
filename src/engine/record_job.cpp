// RecordJob: one raw record per stop, written as the eBPF program writes it (raw_event.h).
#include "ptk/engine/record_job.h"

#include <sys/wait.h>
#include <time.h>

#include <algorithm>
#include <cstring>
#include <string_view>

#include "ptk/arch/syscalls.h"
#include "ptk/sys/raw_event.h"

namespace ptk::engine {
namespace {

template <typename T>
std::span<const std::byte> bytes_of(const T& v) {
  return std::as_bytes(std::span(&v, 1));
}

bool is_fork_call(Arch arch, std::int64_t nr) {
  const SyscallSpec* spec = find_syscall(arch, nr);
  if (spec == nullptr) return false;
  std::string_view n = spec->name;
  return n == "fork" || n == "vfork" || n == "clone" || n == "clone3";
}

ptk_ev_header header_of(std::uint32_t size, std::uint16_t type, const Event& ev) {
  return ptk_ev_header{
      size, type, 0, static_cast<__u32>(ev.tid), static_cast<__u32>(ev.pid), monotonic_ns()};
}

}  // namespace

std::uint64_t monotonic_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u +
         static_cast<std::uint64_t>(ts.tv_nsec);
}

std::int64_t realtime_minus_monotonic_ns() {
  timespec rt{}, mono{};
  ::clock_gettime(CLOCK_REALTIME, &rt);
  ::clock_gettime(CLOCK_MONOTONIC, &mono);
  return (static_cast<std::int64_t>(rt.tv_sec) - mono.tv_sec) * 1000000000 +
         (rt.tv_nsec - mono.tv_nsec);
}

void RecordJob::observe(Engine& engine, const Event& ev) {
  switch (ev.kind) {
    case EventKind::SyscallEntry:
      syscall(engine, ev, false);
      break;
    case EventKind::SyscallExit:
      syscall(engine, ev, true);
      break;
    case EventKind::Signal:
      signal(ev);
      break;
    case EventKind::Exited:
    case EventKind::Killed:
      end(engine, ev);
      break;
    case EventKind::Exec:
      exec(ev);
      break;
    case EventKind::ThreadStart:
      thread_start(ev);
      break;
    default:  // group stops, exit stops, traps: nothing the raw format carries
      break;
  }
}

void RecordJob::syscall(Engine& engine, const Event& ev, bool exit) {
  const SyscallStop& sc = ev.syscall;
  if (is_fork_call(sc.arch, sc.nr)) {
    if (exit) {
      forking_.erase(ev.tid);
    } else {
      forking_[ev.tid] = ev.pid;
    }
  }
  const ptk_cap_plan* plan = plans_.find(sc.arch, sc.nr);
  if (plan == nullptr || !(plan->flags & PTK_PLAN_TRACE)) return;
  Memory& mem = engine.session().memory(ev.tid);
  writer_.append(builder_.build(mem, plan, sc, exit, ev.tid, ev.pid, monotonic_ns()));
}

void RecordJob::signal(const Event& ev) {
  ptk_ev_signal s{};
  s.h = header_of(sizeof s, PTK_EV_SIGNAL, ev);
  s.sig = ev.signal;
  static_assert(sizeof s.siginfo >= sizeof ev.siginfo);
  std::memcpy(s.siginfo, &ev.siginfo, sizeof ev.siginfo);
  writer_.append(bytes_of(s));
}

void RecordJob::end(Engine& engine, const Event& ev) {
  forking_.erase(ev.tid);
  ptk_ev_exit e{};
  e.h = header_of(sizeof e, PTK_EV_EXIT, ev);
  e.status = ev.kind == EventKind::Exited ? W_EXITCODE(ev.exit_code, 0)
                                          : (ev.signal | (ev.core_dumped ? 0x80 : 0));
  // Parts observe an end before the session forgets the thread: the process is dead when
  // this was its only thread.
  const Process* proc = engine.session().process(ev.pid);
  bool last = proc == nullptr || std::all_of(proc->tids.begin(), proc->tids.end(),
                                             [&](pid_t t) { return t == ev.tid; });
  e.flags = last ? PTK_EXIT_GROUP_DEAD : 0;
  writer_.append(bytes_of(e));
}

void RecordJob::exec(const Event& ev) {
  // The other threads of the process are gone (the kernel killed them), and so is the
  // calling thread if it was not the leader: none is in a fork any more.
  std::erase_if(forking_, [&](const auto& f) { return f.second == ev.pid; });
  ptk_ev_exec x{};
  x.h = header_of(sizeof x, PTK_EV_EXEC, ev);
  x.old_tid = static_cast<__u32>(ev.old_tid);
  writer_.append(bytes_of(x));
}

void RecordJob::thread_start(const Event& ev) {
  // A thread is its process's own; a process is another's. The ptrace stops do not say which
  // thread created it: a thread inside a fork-family call of the right kind is (when several
  // are, the first found).
  bool thread = ev.pid != ev.tid;
  pid_t parent = 0, parent_pid = 0;
  for (const auto& [tid, pid] : forking_) {
    if ((pid == ev.pid) == thread) {
      parent = tid;
      parent_pid = pid;
      break;
    }
  }
  ptk_ev_fork f{};
  f.h = header_of(sizeof f, PTK_EV_FORK, ev);
  f.h.tid = static_cast<__u32>(parent);
  f.h.pid = static_cast<__u32>(parent_pid);
  f.child_tid = static_cast<__u32>(ev.tid);
  f.child_pid = static_cast<__u32>(ev.pid);
  f.flags = thread ? PTK_FORK_THREAD : 0;
  writer_.append(bytes_of(f));
}

}  // namespace ptk::engine
