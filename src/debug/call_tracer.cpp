// CallTracer: a breakpoint hit is a traced function's entry, the return of an open call, or the
// library watch. Entry and return bookkeeping is here; hook placement in call_hooks.cpp.
#include "ptk/debug/call_tracer.h"

#include <algorithm>
#include <array>

namespace ptk::debug {
namespace {

std::uint64_t read_word(Memory& mem, std::uint64_t addr, std::size_t word) {
  std::array<std::byte, 8> b{};
  if (!mem.read_exact(RemoteAddr(addr), std::span(b).first(word)).ok()) return 0;
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < word; ++i) v |= std::to_integer<std::uint64_t>(b[i]) << (8 * i);
  return v;
}

}  // namespace

// The thread's vector and x87 registers, read once, only when a floating-point value is shown.
FloatState CallTracer::float_state(pid_t tid, std::vector<std::byte>& cache) {
  return [this, tid, &cache]() -> std::span<const std::byte> {
    if (cache.empty()) {
      auto x = session_.get_xstate(tid);
      if (x.ok()) cache = std::move(*x);
    }
    return cache;
  };
}

int CallTracer::depth_of(const std::vector<Frame>& stack) {
  return static_cast<int>(
      std::count_if(stack.begin(), stack.end(), [](const Frame& f) { return !f.resolves; }));
}

void CallTracer::drop_frame(pid_t pid, const Frame& f) {
  if (!f.kept_return) (void)bps_.remove(pid, f.return_address);
}

Status CallTracer::insert_return(pid_t tid, Process& p, std::uint64_t address, bool& kept) {
  kept = p.returns.count(address) != 0;
  if (kept) return ok_status();
  PTK_TRY(bps_.insert(tid, address));
  if (p.returns.size() < kMaxKeptReturns) kept = p.returns.insert(address).second;
  return ok_status();
}

Status CallTracer::on_hit(const BreakpointHit& hit) {
  auto it = procs_.find(hit.pid);
  if (it == procs_.end()) return ok_status();
  Process& p = it->second;
  if (p.watch && p.watch->is_hit(hit)) return on_library_event(p, hit);
  if (on_return(hit)) return ok_status();
  auto h = p.hooks.find(hit.address);
  // Otherwise the return breakpoint of another thread's call (or of an outer frame of a
  // recursion) was passed through: nothing to report.
  if (h != p.hooks.end()) on_entry(h->second, hit);
  return ok_status();
}

bool CallTracer::on_return(const BreakpointHit& hit) {
  auto s = stacks_.find(hit.tid);
  if (s == stacks_.end()) return false;
  std::vector<Frame>& stack = s->second;
  const AbiInfo& abi = hit.regs.abi_info();
  // x86's `ret` has popped the return address: sp is one word above the entry's. aarch64's
  // return address was in x30: sp is back where it was at the entry.
  const std::uint64_t popped = abi.call.return_in_reg ? 0 : abi.word_size;
  std::uint64_t sp = hit.regs.sp();
  for (std::size_t i = stack.size(); i-- > 0;) {
    const Frame& f = stack[i];
    if (f.return_address != hit.address || f.sp + popped != sp) continue;
    // Frames above it were left without returning (longjmp out of a callback).
    while (stack.size() > i + 1) {
      drop_frame(hit.pid, stack.back());
      stack.pop_back();
    }
    Frame done = stack.back();
    stack.pop_back();
    drop_frame(hit.pid, done);
    if (done.resolves) {
      // The resolver's result is the implementation this function's callers will reach.
      std::uint64_t impl = hit.regs.get(hit.regs.abi_info().call.ret);
      if (auto p = procs_.find(hit.pid); p != procs_.end() && impl != 0) {
        hook(hit.tid, p->second, impl, *done.resolves);
      }
      return true;
    }
    std::vector<std::byte> xstate;
    CallExit exit{.tid = hit.tid,
                  .pid = hit.pid,
                  .depth = depth_of(stack),
                  .name = done.name,
                  .args = std::move(done.args),
                  .ret = decode_return(*done.proto, hit.regs, session_.memory(hit.tid),
                                       options_.format, float_state(hit.tid, xstate)),
                  .duration_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now() - done.entered)
                                     .count()};
    sink_.on_return(exit);
    return true;
  }
  return false;
}

void CallTracer::on_entry(const Hook& h, const BreakpointHit& hit) {
  Memory& mem = session_.memory(hit.tid);
  std::uint64_t word = hit.regs.abi_info().word_size;
  std::uint64_t sp = hit.regs.sp();
  std::vector<Frame>& stack = stacks_[hit.tid];
  // Open calls whose entry sp is below this one's were left by longjmp or an exception.
  while (!stack.empty() && stack.back().sp < sp) {
    drop_frame(hit.pid, stack.back());
    stack.pop_back();
  }
  // At the first instruction the return address is on top of the stack (x86's call pushed
  // it) or in the link register (aarch64's bl set x30).
  const AbiInfo& abi = hit.regs.abi_info();
  std::uint64_t ret =
      abi.call.return_in_reg ? hit.regs.get(abi.call.return_reg) : read_word(mem, sp, word);
  if (h.resolver) {
    if (!bps_.insert(hit.tid, ret).ok()) return;
    Hook target = h;
    target.resolver = false;
    stack.push_back({.name = h.name,
                     .proto = h.proto,
                     .return_address = ret,
                     .sp = sp,
                     .args = {},
                     .resolves = target});
    return;
  }
  // A traced function that ends in a tail call (reallocarray jumps to realloc, which jumps to
  // malloc) enters the next one with its own return address and stack pointer: that call is
  // the library's, not the caller's, and its return is the open call's.
  if (!stack.empty() && stack.back().sp == sp && stack.back().return_address == ret) return;
  Process& p = procs_.at(hit.pid);
  std::vector<std::byte> xstate;
  bool report = h.from_program_only ? (ret >= p.program_start && ret < p.program_end)
                                    : (ret < h.module_start || ret >= h.module_end);
  if (!report) return;
  CallEntry call{
      .tid = hit.tid,
      .pid = hit.pid,
      .depth = depth_of(stack),
      .name = h.name,
      .args = decode_args(*h.proto, hit.regs, mem, options_.format, float_state(hit.tid, xstate)),
      .noreturn = h.proto->noreturn};
  // The return breakpoint goes in before the report: a call whose return cannot be caught is
  // shown as never returning rather than left open forever.
  bool kept = false;
  if (!call.noreturn && !insert_return(hit.tid, p, ret, kept).ok()) call.noreturn = true;
  sink_.on_call(call);
  if (!call.noreturn) {
    stack.push_back({.name = h.name,
                     .proto = h.proto,
                     .return_address = ret,
                     .sp = sp,
                     .args = call.args,
                     .resolves = {},
                     .kept_return = kept,
                     .entered = std::chrono::steady_clock::now()});
  }
}

}  // namespace ptk::debug
