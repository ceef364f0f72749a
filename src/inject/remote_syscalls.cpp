// RemoteSyscalls: open, run a syscall or code, restore. Finding a syscall instruction is in
// syscall_site.cpp, holding back and passing on signals in held_signals.cpp.
#include "ptk/inject/remote_syscalls.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "ptk/arch/syscalls.h"
#include "ptk/core/wait_status.h"

namespace ptk::inject {
namespace {

// Syscalls after which the thread cannot be put back: it is gone (exit), replaced (execve),
// doubled (fork, clone: the child would run on with ptk's registers) or sent elsewhere
// (sigreturn loads a frame from the stack).
constexpr std::array<std::string_view, 13> kRefused = {
    "exit",   "exit_group",   "execve",    "execveat",        "fork", "vfork",  "clone",
    "clone3", "rt_sigreturn", "sigreturn", "restart_syscall", "vm86", "vm86old"};

std::uint64_t word_mask(const AbiInfo& abi) {
  return abi.word_size == 4 ? 0xffffffffu : ~std::uint64_t{0};
}

}  // namespace

RemoteSyscalls::RemoteSyscalls(Session& session, pid_t tid, const Registers& regs)
    : session_(&session), tid_(tid), active_(true), saved_regs_(regs) {
  const AbiInfo& abi = regs.abi_info();
  // Scratch data goes below the red zone, where the interrupted code may keep live values.
  std::uint64_t sp = regs.sp() - abi.red_zone;
  scratch_sp_ = sp - sp % abi.stack_align;
}

Result<RemoteSyscalls> RemoteSyscalls::open(Session& session, pid_t tid) {
  const Thread* t = session.thread(tid);
  std::string call = fmt::format("inject into thread {}", tid);
  if (t == nullptr) {
    Error e = session.untraced(tid, call);
    if (e.kind() == ErrorKind::TraceeGone) return e;
    return e.with_hint("the thread is not traced (attach first)");
  }
  if (t->state != ThreadState::Stopped) {
    return Error(ErrorKind::InvalidArgument, call, 0, "the thread is running; stop it first");
  }
  if (t->last_stop == EventKind::GroupStop) {
    // Running code means resuming the thread, and a resumed thread leaves its group-stop for
    // good (ptrace(2), "Group-stop"): the stopped process would run on behind the user's back.
    return Error(ErrorKind::Unsupported, call, 0,
                 "the process is stopped by a signal (group-stop); send it SIGCONT first");
  }
  switch (t->last_stop) {
    case EventKind::Fork:
    case EventKind::Vfork:
    case EventKind::Clone:
    case EventKind::VforkDone:
    case EventKind::Exec:
    case EventKind::Exiting:
      // A PTRACE_EVENT stop inside a syscall: when the thread leaves it, the kernel finishes
      // that syscall and stores its result in rax/eax, over whatever we run (an injected
      // clone3 would seem to fail, and the program would make a second thread).
      return Error(ErrorKind::Unsupported, call, 0,
                   fmt::format("the thread is stopped at a {} event, inside a syscall that has "
                               "not returned yet; use another thread, or resume it first",
                               to_string(t->last_stop)));
    default:
      break;
  }
  EventKind initial_stop = t->last_stop;
  int pending = t->pending_signal;
  PTK_ASSIGN_OR_RETURN(Registers regs, session.get_regs(tid));
  RemoteSyscalls remote(session, tid, regs);
  remote.initial_stop_ = initial_stop;
  remote.initial_pending_signal_ = pending;
  if (pending != 0) {
    if (auto si = session.siginfo(tid); si.ok()) remote.initial_siginfo_ = *si;
  }
  return remote;
}

RemoteSyscalls::RemoteSyscalls(RemoteSyscalls&& other) noexcept
    : session_(other.session_),
      tid_(other.tid_),
      active_(other.active_),
      resumed_(other.resumed_),
      initial_stop_(other.initial_stop_),
      initial_pending_signal_(other.initial_pending_signal_),
      initial_siginfo_(other.initial_siginfo_),
      saved_regs_(other.saved_regs_),
      saved_xstate_(std::move(other.saved_xstate_)),
      scratch_sp_(other.scratch_sp_),
      syscall_site_(other.syscall_site_),
      site_saved_bytes_(std::move(other.site_saved_bytes_)),
      held_(std::move(other.held_)),
      reentered_nr_(other.reentered_nr_) {
  other.active_ = false;
}

RemoteSyscalls::~RemoteSyscalls() { (void)restore(); }

std::uint64_t RemoteSyscalls::as_address(std::int64_t ret) const {
  return static_cast<std::uint64_t>(ret) & word_mask(abi_info());
}

Status RemoteSyscalls::save_extended_state() {
  if (!active_ || saved_xstate_) return ok_status();
  PTK_ASSIGN_OR_RETURN(saved_xstate_, session_->get_xstate(tid_));
  return ok_status();
}

Result<std::int64_t> RemoteSyscalls::syscall(std::string_view name,
                                             std::initializer_list<std::uint64_t> args) {
  const SyscallSpec* spec = find_syscall(arch(), name);
  if (spec == nullptr) {
    return Error(ErrorKind::NotFound, fmt::format("syscall {}", name), 0,
                 fmt::format("{} has no syscall of that name", to_string(arch())));
  }
  return syscall(spec->nr, std::span<const std::uint64_t>(args.begin(), args.size()));
}

Result<std::int64_t> RemoteSyscalls::syscall(std::int64_t nr, std::span<const std::uint64_t> args) {
  const SyscallSpec* spec = find_syscall(arch(), nr);
  std::string call = fmt::format("remote syscall {} in thread {}",
                                 spec != nullptr ? spec->name : std::to_string(nr), tid_);
  if (!active_) return Error(ErrorKind::InvalidArgument, call, 0, "the scope was restored");
  if (args.size() > 6) return Error(ErrorKind::InvalidArgument, call, 0, "at most 6 arguments");
  if (spec != nullptr) {
    for (std::string_view refused : kRefused) {
      if (spec->name == refused) {
        return Error(ErrorKind::Unsupported, call, 0,
                     "the thread could not be restored after it (it ends, replaces, duplicates "
                     "or redirects the thread)");
      }
    }
  }
  PTK_TRY(reenter_interrupted_call());
  PTK_TRY(find_syscall_site());
  const AbiInfo& abi = abi_info();
  Registers regs = saved_regs_;
  regs.set_ip(syscall_site_);
  // The "not in a syscall" marker first (orig_rax/orig_eax, aarch64's NT_ARM_SYSTEM_CALL
  // number: -1): leaving a stop that interrupted a syscall, the kernel would otherwise apply
  // the restart rules to these registers (x86: arch_do_signal_or_restart moves the ip back 2
  // bytes), and leaving a syscall-entry stop it skips that call. Then the number where the
  // instruction reads it (rax/eax; x8 on aarch64, a slot apart from the marker).
  regs.set_orig_syscall_no(~std::uint64_t{0});
  regs.set(remote_abi(abi.arch).syscall_insn_nr, static_cast<std::uint64_t>(nr));
  for (std::size_t i = 0; i < args.size(); ++i) regs.set_arg(static_cast<int>(i), args[i]);
  PTK_TRY(session_->set_regs(tid_, regs));
  const bool first_run = !resumed_;
  resumed_ = true;
  const std::uint64_t after = syscall_site_ + abi.syscall_insn.size();
  // One PTRACE_SINGLESTEP runs the whole syscall: the kernel reports the step at the syscall's
  // exit as a trap (kHostTrapCodes.stepped_syscall; Session reports it as EventKind::Trap on
  // both hosts), so it stops before the thread is back
  // in user mode -- in a signal-delivery-stop, where restore() needs it. From a syscall-entry
  // stop the first step only finishes the entry's (skipped) syscall and stops with the ip
  // still on the instruction: step again.
  for (int steps = 0; steps < 3; ++steps) {
    std::optional<Event> stop;
    PTK_TRY(resume_and_wait(Resume::SingleStep, stop));
    PTK_ASSIGN_OR_RETURN(Registers now, session_->get_regs(tid_));
    if (first_run && steps == 0) adopt_stop_clobber(now);
    const bool stepped = stop->kind == EventKind::Trap;
    if (stepped && now.ip() == after) return now.retval();
    if (stepped && now.ip() == syscall_site_) continue;
    return Error(ErrorKind::Internal, call, 0,
                 fmt::format("the thread stopped ({} {}) at {:#x}, not after the syscall at {:#x}",
                             to_string(stop->kind), signal_name(stop->signal), now.ip(), after));
  }
  return Error(ErrorKind::Internal, call, 0, "the syscall instruction did not run");
}

// On arm64 a thread stopped by the attach (or a signal) inside a blocking call shows it rewound
// already: pc on the svc, x0 its first argument again, the call forgotten. What the error code
// said beyond that is decided as the thread leaves the stop where it stopped: after
// -ERESTART_RESTARTBLOCK the kernel then sets x8 to restart_syscall (do_signal,
// arch/arm64/kernel/signal.c), which resumes a sleep with the time left. Leaving the stop
// somewhere else (ptk's code) would lose that, so the thread first leaves it in place, with
// PTRACE_SYSCALL, and stops at the entry of the call it makes -- the original one or
// restart_syscall -- whose number restore() puts in x8.
Status RemoteSyscalls::reenter_interrupted_call() {
  const AbiInfo& abi = abi_info();
  if (resumed_ || !remote_abi(abi.arch).restart_rewound_before_stop ||
      initial_stop_ == EventKind::SyscallEntry || initial_stop_ == EventKind::SyscallExit ||
      static_cast<std::int64_t>(saved_regs_.orig_syscall_no()) != -1) {
    return ok_status();
  }
  std::vector<std::byte> at_ip(abi.syscall_insn.size());
  if (!session_->memory(tid_).read_exact(RemoteAddr(saved_regs_.ip()), at_ip).ok() ||
      !std::ranges::equal(at_ip, abi.syscall_insn.bytes())) {
    return ok_status();  // not at a syscall instruction: nothing was rewound
  }
  resumed_ = true;
  for (;;) {
    PTK_TRY(session_->resume(tid_, Resume::Syscall, 0));
    PTK_ASSIGN_OR_RETURN(Event ev, session_->wait_thread(tid_));
    if (!ev.stopped()) {
      active_ = false;
      return Error(ErrorKind::TraceeGone, fmt::format("re-enter the syscall of thread {}", tid_),
                   ESRCH, "the thread ended");
    }
    if (ev.kind == EventKind::SyscallEntry) break;
    if (hold_if_foreign(ev)) continue;
    return Error(ErrorKind::Internal, fmt::format("re-enter the syscall of thread {}", tid_), 0,
                 fmt::format("the thread stopped ({} {}) before the call", to_string(ev.kind),
                             signal_name(ev.signal)));
  }
  PTK_ASSIGN_OR_RETURN(Registers now, session_->get_regs(tid_));
  reentered_nr_ = now.orig_syscall_no();
  return ok_status();
}

void RemoteSyscalls::adopt_stop_clobber(const Registers& now) {
  const std::optional<RegSlot>& slot = remote_abi(arch()).syscall_stop_clobber;
  if (!slot ||
      (initial_stop_ != EventKind::SyscallEntry && initial_stop_ != EventKind::SyscallExit)) {
    return;
  }
  // Read at the syscall stop, the register showed the kernel's stop marker; the stop just left
  // put the thread's own value back, and a syscall instruction leaves it alone.
  saved_regs_.set(*slot, now.get(*slot));
}

Result<CodeStop> RemoteSyscalls::run_code(const Registers& start) {
  if (!active_) return Error(ErrorKind::InvalidArgument, "run code", 0, "the scope was restored");
  PTK_TRY(reenter_interrupted_call());
  if (!resumed_ && remote_abi(arch()).syscall_stop_clobber &&
      (initial_stop_ == EventKind::SyscallEntry || initial_stop_ == EventKind::SyscallExit)) {
    // The code may change the register the syscall stop hid (see adopt_stop_clobber): learn
    // the thread's value first, from a syscall that touches nothing.
    PTK_ASSIGN_OR_RETURN(std::int64_t pid, syscall("getpid", {}));
    (void)pid;
  }
  Registers regs = start;
  regs.set_orig_syscall_no(~std::uint64_t{0});  // as in syscall(): no restart of these registers
  PTK_TRY(session_->set_regs(tid_, regs));
  resumed_ = true;
  std::optional<Event> stop;
  PTK_TRY(resume_and_wait(Resume::Continue, stop));
  CodeStop result;
  result.signal = stop->signal;
  PTK_ASSIGN_OR_RETURN(result.regs, session_->get_regs(tid_));
  if (stop->kind == EventKind::Trap) {
    result.kind = CodeStop::Kind::Trap;
  } else {
    result.kind = CodeStop::Kind::Fault;
    result.address = reinterpret_cast<std::uint64_t>(stop->siginfo.si_addr);
  }
  return result;
}

Status RemoteSyscalls::restore() {
  if (!active_) return ok_status();
  active_ = false;
  Status result;
  auto keep_first = [&result](Status s) {
    if (!s.ok() && result.ok()) result = std::move(s);
  };
  if (resumed_) {
    Registers regs = saved_regs_;
    if (initial_stop_ == EventKind::SyscallEntry) {
      // Taken at a syscall-entry stop, the thread was about to run syscall orig_rax, but it
      // left that stop with orig_rax = -1, so the kernel skipped it. Rewind it into a restart
      // as the kernel does for -ERESTARTNOINTR: the syscall number back in rax, the ip back on
      // the instruction, and out of the syscall; the thread makes the call again, with the
      // same arguments, when it runs (a PTRACE_SYSCALL tracer sees its entry a second time).
      regs.set(remote_abi(arch()).syscall_insn_nr, regs.orig_syscall_no());
      regs.set_ip(regs.ip() - abi_info().syscall_insn.size());
      regs.set_orig_syscall_no(~std::uint64_t{0});
    }
    if (reentered_nr_) regs.set(remote_abi(arch()).syscall_insn_nr, *reentered_nr_);
    // Otherwise the registers go back as they were. On x86, -ERESTARTSYS, -ERESTARTNOHAND,
    // -ERESTARTNOINTR or -ERESTART_RESTARTBLOCK in rax included: the thread is in a
    // signal-delivery-stop (the trap of our last step or breakpoint, or a fault), so when it
    // leaves it the kernel's arch_do_signal_or_restart (arch/x86/kernel/signal.c) sees the saved
    // orig_rax and error and rewinds the interrupted call exactly as it would have without us
    // -- or hands it to a signal handler with -EINTR, if the held-back signal has one.
    // arm64 rewinds before the thread stops (do_signal in arch/arm64/kernel/signal.c: pc back
    // on the svc, x0 reloaded from orig_x0, the call forgotten), so the saved registers are
    // the restart itself and the call runs again with its arguments. The error code is gone
    // from them, and with it two of the kernel's later choices: -ERESTART_RESTARTBLOCK's
    // restart_syscall (a relative sleep starts over in full) and the -EINTR of a call
    // interrupted by a held-back signal that has a handler (the handler runs, then the call
    // restarts, as with SA_RESTART).
    keep_first(session_->set_regs(tid_, regs));
    if (saved_xstate_) keep_first(session_->set_xstate(tid_, *saved_xstate_));
  }
  if (!site_saved_bytes_.empty()) {
    keep_first(session_->memory(tid_).write(RemoteAddr(syscall_site_), site_saved_bytes_));
  }
  if (resumed_) keep_first(restore_signals());
  return result;
}

}  // namespace ptk::inject
