#include "ptk/sys/tracer.h"

#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

namespace ptk::sys {

std::int64_t now_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

namespace {

// i386 reaches the socket and SysV IPC calls through the multiplexers socketcall(2) and
// ipc(2); as with strace, -e trace= may name the sub-call (trace=connect selects
// socketcall(SYS_CONNECT, ...)). The sub-call's own i386 syscall decides.
bool selects_subcall(const SyscallFilter& filter, const SyscallStop& stop) {
  if (stop.arch != Arch::I386) return false;
  const SyscallSpec* spec = find_syscall(stop.arch, stop.nr);
  if (spec == nullptr) return false;
  const Xlat* table = nullptr;
  std::uint64_t call = 0;
  if (spec->name == "socketcall") {
    table = find_xlat("socketcall_call");
    call = static_cast<std::uint32_t>(stop.args[0]);
  } else if (spec->name == "ipc") {
    table = find_xlat("ipc_call");
    call = stop.args[0] & 0xffff;  // the high half is a version number
  }
  if (table == nullptr) return false;
  std::string_view name = xlat_name(*table, call);
  if (name.starts_with("SYS_")) name.remove_prefix(4);
  std::string lower(name);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const SyscallSpec* sub = find_syscall(Arch::I386, lower);
  return sub != nullptr && filter.selects(Arch::I386, sub->nr);
}

std::string read_fd_link(pid_t pid, int fd) {
  char link[64];
  char target[4096];
  // AT_FDCWD (-100) stands for the working directory.
  if (fd == -100) {
    fmt::format_to_n(link, sizeof link - 1, "/proc/{}/cwd", pid).out[0] = '\0';
  } else {
    fmt::format_to_n(link, sizeof link - 1, "/proc/{}/fd/{}", pid, fd).out[0] = '\0';
  }
  ssize_t n = ::readlink(link, target, sizeof target);
  return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

Tracer::Tracer(Session& session, TracerOptions options, TraceSink& sink)
    : session_(session), options_(std::move(options)), sink_(sink) {
  if (options_.fd_paths) options_.decode.fd_paths = true;
  // -P needs descriptor paths as well, to match read(3, ...) on a file opened by name.
  if (options_.fd_paths || !options_.paths.empty()) fd_path_ = read_fd_link;
}

void Tracer::on_entry(const Event& ev) {
  ThreadState& ts = threads_[ev.tid];
  const SyscallStop& stop = ev.syscall;
  if (!options_.filter.selects(stop.arch, stop.nr) && !selects_subcall(options_.filter, stop)) {
    ts.active = false;
    return;
  }
  DecodedSyscall& sc = ts.sc;
  sc.reset();
  sc.pid = ev.pid;
  sc.tid = ev.tid;
  sc.arch = stop.arch;
  sc.nr = stop.nr;
  sc.spec = find_syscall(stop.arch, stop.nr);
  sc.raw_args = stop.args;
  sc.entry_ns = now_ns();
  if (!options_.paths.empty() && !options_.paths.matches(sc, session_.memory(ev.tid), fd_path_)) {
    ts.active = false;
    return;
  }
  if (options_.hook != nullptr) options_.hook->on_entry(session_, sc);
  decode_entry(sc, session_.memory(ev.tid), options_.decode,
               options_.fd_paths ? &fd_path_ : nullptr);
  if (sc.spec != nullptr && sc.spec->name == "restart_syscall" && !ts.interrupted.empty()) {
    // Only the tracer knows what is being resumed: strace's "<... resuming interrupted X ...>".
    sc.args.raw(fmt::format("<... resuming interrupted {} ...>", ts.interrupted));
    sc.entry_tokens = sc.args.size();
  }
  ts.active = true;
  sink_.syscall_entry(sc);
}

void Tracer::on_exit(const Event& ev) {
  auto it = threads_.find(ev.tid);
  if (it == threads_.end() || !it->second.active) return;
  DecodedSyscall& sc = it->second.sc;
  sc.exit_ns = now_ns();
  sc.ret = ev.syscall.ret;
  sc.is_error = ev.syscall.is_error;
  if (options_.hook != nullptr) options_.hook->on_exit(session_, sc);
  decode_exit(sc, session_.memory(ev.tid), options_.decode,
              options_.fd_paths ? &fd_path_ : nullptr);
  if (options_.fd_paths && sc.ret_type == RetType::Fd && !sc.is_error && sc.ret >= 0) {
    sc.ret_fd_path = fd_path_(sc.pid, static_cast<int>(sc.ret));
  }
  it->second.active = false;
  constexpr std::int64_t kErestartRestartblock = 516;  // include/linux/errno.h
  if (sc.is_error && sc.ret == -kErestartRestartblock) {
    it->second.interrupted = sc.name();
  } else if (sc.spec != nullptr && sc.spec->name != "restart_syscall") {
    it->second.interrupted.clear();
  }
  sink_.syscall_exit(sc);
}

Status Tracer::run(const volatile std::sig_atomic_t* stop) {
  for (;;) {
    if (stop != nullptr && *stop) return ok_status();
    auto ev = session_.wait();
    if (!ev.ok()) {
      if (ev.error().kind() == ErrorKind::NoSuchProcess) return ok_status();  // all gone
      if (ev.error().error_number() == EINTR) continue;
      return std::move(ev).error();
    }
    switch (ev->kind) {
      case EventKind::SyscallEntry:
        on_entry(*ev);
        break;
      case EventKind::SyscallExit:
        on_exit(*ev);
        break;
      // A trap in a traced program is its own int3 (ptk trace sets no breakpoints): shown and
      // delivered like any signal.
      case EventKind::Signal:
      case EventKind::Trap:
        sink_.signal(*ev);
        break;
      case EventKind::GroupStop:
        sink_.group_stop(*ev);
        break;
      case EventKind::ThreadStart:
        sink_.thread_start(*ev);
        break;
      case EventKind::Exec:
        if (ev->old_tid != ev->tid) {
          // The exec'ing thread took the leader's tid: its syscall in progress moves with it.
          // The node itself moves (extract keeps the element's address), so sinks that hold
          // a pointer to the pending syscall only need to re-key it (TraceSink::exec).
          auto node = threads_.extract(ev->old_tid);
          if (!node.empty()) {
            threads_.erase(ev->tid);  // the old leader vanished without an exit report
            node.key() = ev->tid;
            node.mapped().sc.tid = ev->tid;
            threads_.insert(std::move(node));
          }
        }
        sink_.exec(*ev);
        break;
      case EventKind::Exited:
      case EventKind::Killed: {
        auto it = threads_.find(ev->tid);
        DecodedSyscall* pending =
            it != threads_.end() && it->second.active ? &it->second.sc : nullptr;
        sink_.thread_gone(*ev, pending);
        if (it != threads_.end()) threads_.erase(it);
        continue;  // nothing to resume
      }
      default:
        break;
    }
    Status s = session_.resume(*ev);
    if (!s.ok() && s.error().kind() != ErrorKind::TraceeGone) return s;
  }
}

}  // namespace ptk::sys
