#include "ptk/sys/tracer.h"

#include <fmt/format.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <memory>

#include "ptk/sys/fd_details.h"

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
    : session_(&session), options_(std::move(options)), sink_(sink) {
  init();
}

Tracer::Tracer(MemoryFn memory, TracerOptions options, TraceSink& sink)
    : memory_(std::move(memory)), options_(std::move(options)), sink_(sink) {
  // Nothing of a process that is not stopped can be changed: no hooks run.
  options_.hooks.clear();
  init();
}

Memory& Tracer::memory(pid_t tid) {
  return session_ != nullptr ? session_->memory(tid) : memory_(tid);
}

void Tracer::init() {
  if (options_.fd_paths) options_.decode.fd_paths = true;
  // -P needs descriptor paths as well, to match read(3, ...) on a file opened by name.
  // Under `unshare -p` without a remount of /proc (strace's suite does this), a tracee's /proc
  // directory is named by the outer namespace's pid: the translator knows which.
  PidTranslator* pidns = options_.decode.pidns;
  if (options_.fd_paths || !options_.paths.empty()) {
    fd_path_ = [pidns](pid_t pid, int fd) {
      return read_fd_link(pidns != nullptr ? pidns->proc_pid(pid) : pid, fd);
    };
  }
  if (options_.fd_paths) {
    // strace's cache of socket details, for the whole trace: its lines, not fresher ones.
    auto cache = std::make_shared<SocketDetailsCache>();
    FdDetailsOptions details{
        .kinds = options_.decode_fds != 0 ? options_.decode_fds : unsigned{kFdDecodePath},
        .xlevel = options_.decode.xlevel,
        .pid_comm = options_.decode.pid_comm,
        .cache = cache.get()};
    fd_text_ = [details, cache, pidns](pid_t pid, int fd) {
      return fd_details(pidns != nullptr ? pidns->proc_pid(pid) : pid, fd, details);
    };
  }
}

SyscallFilter stop_filter(const TracerOptions& options) {
  SyscallFilter stops = options.filter;
  if (stops.selects_all()) return stops;
  for (Arch arch : kAllArches) {
    for (std::size_t nr = 0; nr < SyscallFilter::kMaxNr; ++nr) {
      auto n = static_cast<std::int64_t>(nr);
      if (stops.selects(arch, n)) continue;
      for (SyscallHook* h : options.hooks) {
        if (h->wants(arch, n)) stops.set(arch, n, true);
      }
    }
  }
  return stops;
}

void Tracer::on_entry(const Event& ev) {
  ThreadState& ts = threads_[ev.tid];
  ts.active = false;
  const SyscallStop& stop = ev.syscall;
  bool reported =
      options_.filter.selects(stop.arch, stop.nr) || selects_subcall(options_.filter, stop);
  // Hooks that want the call whatever the filter says; none while draining (see run()).
  std::uint64_t wanted = 0;
  std::size_t n_hooks = std::min(options_.hooks.size(), kMaxHooks);
  for (std::size_t i = 0; i < n_hooks && !draining_; ++i) {
    if (options_.hooks[i]->wants(stop.arch, stop.nr)) wanted |= std::uint64_t{1} << i;
  }
  if (!reported && wanted == 0) return;
  DecodedSyscall& sc = ts.sc;
  sc.reset();
  sc.pid = ev.pid;
  sc.tid = ev.tid;
  sc.arch = stop.arch;
  sc.nr = stop.nr;
  sc.spec = find_syscall(stop.arch, stop.nr);
  sc.raw_args = stop.args;
  sc.ip = stop.ip;
  sc.sp = stop.sp;
  sc.entry_ns = ev.time_ns != 0 ? ev.time_ns : now_ns();
  sc.entry_stime_ns = ev.stime_ns;
  if (reported && !options_.paths.empty() &&
      !options_.paths.matches(sc, memory(ev.tid), fd_path_)) {
    reported = false;
    if (wanted == 0) return;
  }
  // Decode first: the output and the hooks see the arguments the program passed.
  decode_entry(sc, memory(ev.tid), options_.decode, options_.fd_paths ? &fd_text_ : nullptr);
  if (sc.spec != nullptr && sc.spec->name == "restart_syscall" && !ts.interrupted.empty()) {
    // Only the tracer knows what is being resumed: strace's "<... resuming interrupted X ...>".
    sc.args.raw(fmt::format("<... resuming interrupted {} ...>", ts.interrupted));
    sc.entry_tokens = sc.args.size();
  }
  // A reported syscall goes to every hook (the -k stack hook captures those); an unreported
  // one only to the hooks that want it.
  ts.hooks = reported && !draining_
                 ? (n_hooks == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n_hooks) - 1)
                 : wanted;
  for (std::size_t i = 0; i < n_hooks; ++i) {
    if (ts.hooks & (std::uint64_t{1} << i)) options_.hooks[i]->on_entry(*session_, sc);
  }
  if (sc.args_poked) {
    // An entry poke (inject=...:poke_enter=) changed what the arguments point to: strace
    // decodes after tampering, so the line shows the data the call gets.
    sc.args_poked = false;
    decode_entry(sc, memory(ev.tid), options_.decode, options_.fd_paths ? &fd_text_ : nullptr);
  }
  ts.active = true;
  ts.reported = reported;
  if (reported) sink_.syscall_entry(sc);
}

void Tracer::on_exit(const Event& ev) {
  auto it = threads_.find(ev.tid);
  if (it == threads_.end() || !it->second.active) return;
  ThreadState& ts = it->second;
  DecodedSyscall& sc = ts.sc;
  sc.exit_ns = ev.time_ns != 0 ? ev.time_ns : now_ns();
  sc.exit_stime_ns = ev.stime_ns;
  sc.ret = ev.syscall.ret;
  sc.is_error = ev.syscall.is_error;
  // Hooks first, then decoding: the output shows the result the program gets.
  std::size_t n_hooks = std::min(options_.hooks.size(), kMaxHooks);
  for (std::size_t i = 0; i < n_hooks; ++i) {
    if (ts.hooks & (std::uint64_t{1} << i)) options_.hooks[i]->on_exit(*session_, sc);
  }
  ts.hooks = 0;
  // The syscalls that cannot fail (getpid, geteuid, ...): any value, even an injected one in
  // the errno range, is a result, as strace shows it.
  if (sc.spec != nullptr && (sc.spec->classes & kClassPure) != 0) sc.is_error = false;
  ts.active = false;
  constexpr std::int64_t kErestartRestartblock = 516;  // include/linux/errno.h
  if (sc.is_error && sc.ret == -kErestartRestartblock) {
    ts.interrupted = sc.name();
  } else if (sc.spec != nullptr && sc.spec->name != "restart_syscall") {
    ts.interrupted.clear();
  }
  if (!ts.reported) return;
  decode_exit(sc, memory(ev.tid), options_.decode, options_.fd_paths ? &fd_text_ : nullptr);
  // A value past INT_MAX is no descriptor (an injected one): strace prints just the number.
  if (options_.fd_paths && sc.ret_type == RetType::Fd && !sc.is_error && sc.ret >= 0 &&
      sc.ret <= INT32_MAX) {
    sc.ret_fd_path = fd_text_(sc.pid, static_cast<int>(sc.ret));
  }
  if (options_.decode.pid_comm && sc.ret_type == RetType::Pid && !sc.is_error && sc.ret > 0) {
    sc.ret_comm = process_comm(sc.ret);
  }
  sink_.syscall_exit(sc);
}

void Tracer::abandon(pid_t tid, ThreadState& ts) {
  std::size_t n_hooks = std::min(options_.hooks.size(), kMaxHooks);
  for (std::size_t i = 0; i < n_hooks; ++i) {
    if (ts.hooks & (std::uint64_t{1} << i)) options_.hooks[i]->on_abandon(*session_, tid);
  }
  ts.hooks = 0;
}

void Tracer::on_gone(const Event& ev) {
  std::erase_if(delayed_, [&](const Delayed& d) { return d.ev.tid == ev.tid; });
  auto it = threads_.find(ev.tid);
  DecodedSyscall* pending = nullptr;
  if (it != threads_.end() && it->second.active) {
    abandon(ev.tid, it->second);
    if (it->second.reported) pending = &it->second.sc;
  }
  for (SyscallHook* h : options_.hooks) h->on_thread_exit(*session_, ev.tid);
  if (options_.decode.pidns != nullptr) options_.decode.pidns->forget(ev.tid);
  if (ev.kind == EventKind::ExecFailed) {
    sink_.exec_failed(ev);
  } else {
    sink_.thread_gone(ev, pending);
  }
  if (it != threads_.end()) threads_.erase(it);
}

void Tracer::on_exiting(const Event& ev) {
  auto it = threads_.find(ev.tid);
  if (it == threads_.end() || !it->second.active || !it->second.reported) return;
  sink_.thread_exiting(ev, it->second.sc);
}

void Tracer::on_exec(const Event& ev) {
  if (ev.old_tid != ev.tid) {
    // The old leader is gone (execve from another thread, de_thread): nothing to resume.
    std::erase_if(delayed_, [&](const Delayed& d) { return d.ev.tid == ev.tid; });
    // The exec'ing thread took the leader's tid: its syscall in progress moves with it.
    // The node itself moves (extract keeps the element's address), so sinks that hold
    // a pointer to the pending syscall only need to re-key it (TraceSink::exec).
    auto node = threads_.extract(ev.old_tid);
    if (!node.empty()) {
      // The old leader vanished without an exit report.
      if (auto old = threads_.find(ev.tid); old != threads_.end()) {
        if (old->second.active) abandon(ev.tid, old->second);
        threads_.erase(old);
      }
      node.key() = ev.tid;
      node.mapped().sc.tid = ev.tid;
      threads_.insert(std::move(node));
    }
  }
  for (SyscallHook* h : options_.hooks) h->on_exec(*session_, ev);
  sink_.exec(ev);
}

bool Tracer::drain() {
  bool held = false;
  for (auto& [tid, ts] : threads_) {
    if (!ts.active || ts.hooks == 0) continue;
    bool holds = false;
    for (SyscallHook* h : options_.hooks) holds = holds || h->holds(tid);
    if (!holds) continue;
    if (!draining_) {
      // A thread blocked in the call returns from it (-ERESTART*, to be restarted as the
      // program made it once the hooks undid their changes); a running one stops soon after.
      (void)session_->interrupt(tid);
    }
    held = true;
  }
  draining_ = true;
  return held;
}

Status Tracer::release_delayed(bool all) {
  auto now = std::chrono::steady_clock::now();
  for (auto it = delayed_.begin(); it != delayed_.end();) {
    if (!all && it->until > now) {
      ++it;
      continue;
    }
    Status s = session_->resume(it->ev);
    it = delayed_.erase(it);
    if (!s.ok() && s.error().kind() != ErrorKind::TraceeGone) return s;
  }
  return ok_status();
}

bool Tracer::dispatch(const Event& ev) {
  switch (ev.kind) {
    case EventKind::SyscallEntry:
      on_entry(ev);
      break;
    case EventKind::SyscallExit:
      on_exit(ev);
      break;
    // A trap in a traced program is its own int3 (ptk trace sets no breakpoints; the engine
    // passes on only the traps that are not its own): shown and delivered like any signal.
    case EventKind::Signal:
    case EventKind::Trap:
      sink_.signal(ev);
      break;
    case EventKind::GroupStop:
      sink_.group_stop(ev);
      break;
    case EventKind::ThreadStart:
      sink_.thread_start(ev);
      break;
    case EventKind::Exec:
      on_exec(ev);
      break;
    case EventKind::Exiting:
      on_exiting(ev);
      break;
    case EventKind::Exited:
    case EventKind::Killed:
    case EventKind::ExecFailed:
      on_gone(ev);
      return false;
    default:
      break;
  }
  return true;
}

std::chrono::microseconds Tracer::take_delay(pid_t tid) {
  std::chrono::microseconds wait{0};
  for (SyscallHook* h : options_.hooks) wait += h->take_delay(tid);
  return wait;
}

Status Tracer::run(const volatile std::sig_atomic_t* stop) {
  if (session_ == nullptr) {
    return Error(ErrorKind::Internal, "Tracer::run of a replay tracer, which has no session");
  }
  for (;;) {
    bool stopping = stop != nullptr && *stop;
    PTK_TRY(release_delayed(stopping));  // on a stop request the delays end at once
    if (stopping && !drain()) return ok_status();
    // While threads are delayed, wait for the others only until the first delay ends.
    Result<std::optional<Event>> next = std::optional<Event>();
    sink_.before_wait();
    if (delayed_.empty()) {
      auto w = session_->wait();
      if (w.ok()) {
        next = std::optional<Event>(std::move(*w));
      } else {
        next = std::move(w).error();
      }
    } else {
      auto first = std::min_element(delayed_.begin(), delayed_.end(),
                                    [](auto& a, auto& b) { return a.until < b.until; });
      next = session_->wait_until(first->until);
    }
    sink_.after_wait();
    if (!next.ok()) {
      if (next.error().kind() == ErrorKind::NoSuchProcess) return ok_status();  // all gone
      if (next.error().error_number() == EINTR) continue;
      return std::move(next).error();
    }
    if (!next->has_value()) continue;  // a delay ended
    std::optional<Event> ev = std::move(*next);
    if (!dispatch(*ev)) continue;  // nothing to resume
    if (ev->kind == EventKind::SyscallEntry || ev->kind == EventKind::SyscallExit) {
      std::chrono::microseconds wait = take_delay(ev->tid);
      if (wait.count() > 0) {
        delayed_.push_back({std::chrono::steady_clock::now() + wait, std::move(*ev)});
        continue;
      }
    }
    Status s = session_->resume(*ev);
    if (!s.ok() && s.error().kind() != ErrorKind::TraceeGone) return s;
  }
}

}  // namespace ptk::sys
