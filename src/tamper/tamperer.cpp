#include "ptk/tamper/tamperer.h"

#include <fmt/format.h>

#include <cstring>

#include "context.h"
#include "ptk/sys/escape.h"

namespace ptk::tamper {
namespace {

constexpr std::size_t kMaxRunHooks = 64;  // one bit each in InFlight::hooks

// The kernel's restart codes (include/linux/errno.h): the call is restarted after the signal
// handler (or at once), with the number in orig_rax and the argument registers.
bool is_restart(std::int64_t ret) {
  return ret == -512 || ret == -513 || ret == -514 || ret == -516;
}

// Copies one register (all 8 bytes of its host slot) from the entry's block.
void put_back(Registers& regs, const Registers::HostBlock& orig, RegSlot slot) {
  std::memcpy(regs.host_block().data() + slot.offset, orig.data() + slot.offset, 8);
}

template <typename F>
void for_each_bit(std::uint64_t bits, std::size_t n, F f) {
  for (std::size_t i = 0; i < n && i < kMaxRunHooks; ++i) {
    if (bits & (std::uint64_t{1} << i)) f(i);
  }
}

}  // namespace

Tamperer::Tamperer() = default;
Tamperer::~Tamperer() = default;

Hook& Tamperer::add(std::unique_ptr<Hook> hook) {
  Hook& h = *hook;
  owned_.push_back(std::move(hook));
  add_ref(h);
  return h;
}

void Tamperer::add_ref(Hook& hook) {
  hooks_.push_back(&hook);
  for (Arch arch : kAllArches) {
    for (std::size_t nr = 0; nr < sys::SyscallFilter::kMaxNr; ++nr) {
      if (hook_wants(hook, arch, static_cast<std::int64_t>(nr))) {
        wanted_[static_cast<std::size_t>(arch)].set(nr);
      }
    }
  }
}

bool Tamperer::hook_wants(const Hook& hook, Arch arch, std::int64_t nr) const {
  return hook.wants(arch, find_syscall(arch, nr));
}

bool Tamperer::wants(Arch arch, std::int64_t nr) const {
  if (nr >= 0 && static_cast<std::size_t>(nr) < sys::SyscallFilter::kMaxNr) {
    return wanted_[static_cast<std::size_t>(arch)][static_cast<std::size_t>(nr)];
  }
  for (const Hook* h : hooks_) {
    if (hook_wants(*h, arch, nr)) return true;
  }
  return false;
}

void Tamperer::report(const Error& e) const {
  if (e.kind() == ErrorKind::TraceeGone) return;  // its exit report follows
  if (on_error_) {
    on_error_(e);
  } else {
    fmt::print(stderr, "ptk: tamper: {}\n", sys::printable(e.message()));
  }
}

void Tamperer::on_entry(Session& session, sys::DecodedSyscall& sc) {
  if (!wants(sc.arch, sc.nr)) return;
  std::uint64_t run = 0;
  for_each_bit(~std::uint64_t{0}, hooks_.size(), [&](std::size_t i) {
    if (hook_wants(*hooks_[i], sc.arch, sc.nr)) run |= std::uint64_t{1} << i;
  });
  if (run == 0) return;
  // A record left from a syscall whose exit never came (a missed stop) is dropped unapplied.
  if (in_flight_.count(sc.tid) != 0) on_abandon(session, sc.tid);

  auto rec = std::make_unique<InFlight>();
  rec->pid = sc.pid;
  rec->tid = sc.tid;
  rec->arch = sc.arch;
  rec->hooks = run;
  rec->orig_nr = rec->nr = sc.nr;
  rec->orig_args = rec->args = sc.raw_args;
  ContextImpl ctx(session, sc, *rec, Phase::Entry);
  for_each_bit(run, hooks_.size(), [&](std::size_t i) { hooks_[i]->on_entry(ctx); });

  if (rec->regs_changed()) {
    auto regs = session.get_regs(rec->tid);
    Status s = regs.ok() ? ok_status() : Status(regs.error());
    if (regs.ok()) {
      rec->orig_block = regs->host_block();
      rec->have_block = true;
      // Written through the view of this syscall's ABI (an i386 call from 64-bit code too).
      Registers view(rec->arch, regs->host_block());
      for (int i = 0; i < 6; ++i) {
        auto k = static_cast<std::size_t>(i);
        if (rec->args[k] != rec->orig_args[k]) view.set_arg(i, rec->args[k]);
      }
      // The kernel takes the number from orig_rax after the stop; -1 runs nothing and
      // leaves the result -ENOSYS (arch/x86/entry/common.c, do_syscall_64). arm64 leaves x0
      // as it is, the first argument (el0_svc_common, arch/arm64/kernel/syscall.c, presets
      // -ENOSYS only for a syscall(-1) of the program's own): ptk puts -ENOSYS there itself,
      // which x86 already has in rax at the entry stop.
      if (rec->skipped) {
        view.set_orig_syscall_no(~std::uint64_t{0});
        view.set_retval(-38);  // -ENOSYS
      } else if (rec->nr != rec->orig_nr) {
        view.set_orig_syscall_no(static_cast<std::uint64_t>(rec->nr));
      }
      s = session.set_regs(rec->tid, view);
    }
    if (!s.ok()) {
      report(Error(s.error()).with_hint(
          fmt::format("{} of thread {} left as the program made it", sc.name(), sc.tid)));
      rec->skipped = false;
      rec->nr = rec->orig_nr;
      rec->args = rec->orig_args;
    }
  }
  if (rec->delay.count() > 0) delays_[sc.tid] += rec->delay;
  rec->delay = {};
  in_flight_[sc.tid] = std::move(rec);
}

void Tamperer::on_exit(Session& session, sys::DecodedSyscall& sc) {
  auto it = in_flight_.find(sc.tid);
  if (it == in_flight_.end()) return;
  std::unique_ptr<InFlight> rec = std::move(it->second);
  in_flight_.erase(it);

  rec->kernel_ret = sc.ret;
  constexpr std::int64_t kEnosys = -38;
  if (rec->skipped && sc.ret == kEnosys) {
    // The kernel ran nothing; the program gets the skip value. (Any other result means the
    // skip did not take: then the kernel's result stays, and hooks see it in kernel_ret().)
    std::int64_t v = rec->skip_ret;
    if (abi(rec->arch).word_size == 4) v = static_cast<std::int32_t>(v);
    sc.ret = v;
    sc.is_error = is_error_value(v);
    rec->ret_changed = true;
  }
  ContextImpl ctx(session, sc, *rec, Phase::Exit);
  for_each_bit(rec->hooks, hooks_.size(), [&](std::size_t i) { hooks_[i]->on_exit(ctx); });

  // After an execve the registers and the memory are the new program's: nothing to put back.
  bool put_args = !rec->new_image && rec->have_block && rec->args != rec->orig_args;
  bool put_nr = !rec->new_image && rec->have_block && !rec->skipped && rec->nr != rec->orig_nr &&
                !rec->ret_changed && is_restart(rec->kernel_ret);
  if (rec->ret_changed || put_args || put_nr) {
    auto regs = session.get_regs(rec->tid);
    Status s = regs.ok() ? ok_status() : Status(regs.error());
    if (regs.ok()) {
      Registers view(rec->arch, regs->host_block());
      if (rec->ret_changed) view.set_retval(sc.ret);
      const AbiInfo& a = abi(rec->arch);
      for (int i = 0; i < 6; ++i) {
        auto k = static_cast<std::size_t>(i);
        if (put_args && rec->args[k] != rec->orig_args[k]) {
          put_back(view, rec->orig_block,
                   a.role(static_cast<RegRole>(static_cast<int>(RegRole::Arg0) + i)));
        }
      }
      if (put_nr) put_back(view, rec->orig_block, a.role(RegRole::OrigSyscallNo));
      s = session.set_regs(rec->tid, view);
    }
    if (!s.ok()) report(s.error());
  }
  if (!rec->new_image) {
    Memory& mem = session.memory(rec->tid);
    for (auto b = rec->borrowed.rbegin(); b != rec->borrowed.rend(); ++b) {
      if (Status s = mem.write(RemoteAddr(b->addr), b->saved); !s.ok()) report(s.error());
    }
  }
  if (rec->delay.count() > 0) delays_[sc.tid] += rec->delay;
}

std::chrono::microseconds Tamperer::take_delay(pid_t tid) {
  if (delays_.empty()) return {};
  auto node = delays_.extract(tid);
  return node.empty() ? std::chrono::microseconds{0} : node.mapped();
}

void Tamperer::on_abandon(Session& /*session*/, pid_t tid) {
  auto it = in_flight_.find(tid);
  if (it == in_flight_.end()) return;
  // The thread is gone (its process died or exec'd): its registers and its stack with it.
  std::uint64_t ran = it->second->hooks;
  in_flight_.erase(it);
  for_each_bit(ran, hooks_.size(), [&](std::size_t i) { hooks_[i]->on_abandon(tid); });
}

void Tamperer::on_thread_exit(Session& /*session*/, pid_t tid) {
  delays_.erase(tid);
  for (Hook* h : hooks_) h->on_thread_exit(tid);
}

void Tamperer::on_exec(Session& /*session*/, const Event& ev) {
  // Every thread of the process lost its address space (the others are gone, or about to be).
  for (auto& [tid, rec] : in_flight_) {
    if (rec->pid == ev.pid) rec->new_image = true;
  }
  if (ev.old_tid != ev.tid) {
    auto node = in_flight_.extract(ev.old_tid);
    if (!node.empty()) {
      node.key() = ev.tid;
      node.mapped()->tid = ev.tid;
      in_flight_.erase(ev.tid);
      in_flight_.insert(std::move(node));
    }
  }
  for (Hook* h : hooks_) h->on_exec(ev.tid, ev.old_tid);
}

bool Tamperer::holds(pid_t tid) const {
  auto it = in_flight_.find(tid);
  return it != in_flight_.end() && !it->second->new_image && it->second->changed();
}

}  // namespace ptk::tamper
