// remote_call: lay out the strings and the call frame below the scratch stack pointer, run the
// callee until it returns to address 0 (or faults), then undo it all in reverse order.
#include "ptk/inject/remote_call.h"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "ptk/inject/remote_bytes.h"

namespace ptk::inject {
namespace {

// The kernel's sigset_t is 64 bits on both ABIs (rt_sigprocmask's sigsetsize must be 8).
constexpr std::uint64_t kKernelSigsetSize = 8;

void put_word(std::vector<std::byte>& out, std::size_t at, std::uint64_t value, std::size_t word) {
  std::memcpy(out.data() + at, &value, word);  // little-endian: the low `word` bytes
}

// The signal mask of the thread, read and written by remote rt_sigprocmask through an 8-byte
// slot on the stack.
class SavedMask {
 public:
  static Result<SavedMask> save(RemoteSyscalls& remote) {
    std::array<std::byte, kKernelSigsetSize> zero{};
    PTK_ASSIGN_OR_RETURN(StackBytes slot, StackBytes::push(remote, zero, 16));
    std::uint64_t addr = slot.addr().addr();
    PTK_ASSIGN_OR_RETURN(std::int64_t ret,
                         remote.syscall("rt_sigprocmask", {SIG_BLOCK, 0, addr, kKernelSigsetSize}));
    if (is_syscall_error(ret)) {
      return Error(ErrorKind::Internal, "remote rt_sigprocmask (save the signal mask)",
                   static_cast<int>(-ret));
    }
    std::array<std::byte, kKernelSigsetSize> mask{};
    PTK_TRY(remote.session().memory(remote.tid()).read_exact(slot.addr(), mask));
    return SavedMask(std::move(slot), mask);
  }

  // Puts the mask back (the slot is rewritten first: the callee may have scribbled on it),
  // then the slot's bytes.
  Status restore(RemoteSyscalls& remote) {
    PTK_TRY(remote.session().memory(remote.tid()).write(slot_.addr(), mask_));
    PTK_ASSIGN_OR_RETURN(
        std::int64_t ret,
        remote.syscall("rt_sigprocmask", {SIG_SETMASK, slot_.addr().addr(), 0, kKernelSigsetSize}));
    if (is_syscall_error(ret)) {
      return Error(ErrorKind::Internal, "remote rt_sigprocmask (restore the signal mask)",
                   static_cast<int>(-ret));
    }
    return slot_.restore();
  }

 private:
  SavedMask(StackBytes slot, std::array<std::byte, kKernelSigsetSize> mask)
      : slot_(std::move(slot)), mask_(mask) {}
  StackBytes slot_;
  std::array<std::byte, kKernelSigsetSize> mask_;
};

// Everything the call itself needs on the stack, pushed and popped as one scope: the strings,
// then the frame [padding][return address 0 (x86)][stack arguments (i386)].
struct CallFrame {
  std::optional<StackBytes> strings;
  std::optional<StackBytes> frame;
  std::uint64_t entry_sp = 0;  // the callee's sp at entry: on x86 where its return address is
};

Result<CallFrame> push_frame(RemoteSyscalls& remote, std::span<const CallArg> args,
                             std::vector<std::uint64_t>& values) {
  CallFrame out;
  std::string block;
  std::vector<std::size_t> offsets;
  for (const CallArg& a : args) {
    offsets.push_back(block.size());
    if (a.kind == CallArg::Kind::String) block += a.bytes + '\0';
  }
  if (!block.empty()) {
    PTK_ASSIGN_OR_RETURN(StackBytes s, StackBytes::push(remote, std::as_bytes(std::span(block))));
    out.strings.emplace(std::move(s));
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    values.push_back(args[i].kind == CallArg::Kind::String ? out.strings->addr().addr() + offsets[i]
                                                           : args[i].value);
  }
  const AbiInfo& abi = remote.abi_info();
  const std::size_t word = abi.word_size;
  const std::size_t align = abi.stack_align;
  // Pushed at an aligned address A, the stack arguments start at A + align. On x86 the return
  // address goes right below them, at A + align - word, so that at the callee's entry sp + word
  // is aligned, as after a `call` from code that kept the ABI's alignment; aarch64's callee
  // finds its return address in x30 and starts with sp = A + align.
  const std::size_t reg_args = abi.call.reg_args;
  const std::size_t stack_args = values.size() > reg_args ? values.size() - reg_args : 0;
  std::vector<std::byte> frame(align + stack_args * word);
  if (!abi.call.return_in_reg) put_word(frame, align - word, 0, word);
  for (std::size_t i = 0; i < stack_args; ++i) {
    put_word(frame, align + i * word, values[reg_args + i], word);
  }
  PTK_ASSIGN_OR_RETURN(StackBytes f, StackBytes::push(remote, frame, align));
  out.entry_sp = f.addr().addr() + align - (abi.call.return_in_reg ? 0 : word);
  out.frame.emplace(std::move(f));
  return out;
}

std::int64_t sign_extend(std::uint64_t value, std::size_t word) {
  if (word == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
  return static_cast<std::int64_t>(value);
}

}  // namespace

Result<CallResult> remote_call(RemoteSyscalls& remote, std::uint64_t function,
                               std::span<const CallArg> args) {
  std::string call = fmt::format("remote call of {:#x} in thread {}", function, remote.tid());
  if (args.size() > kMaxCallArgs) {
    return Error(ErrorKind::InvalidArgument, call, 0,
                 fmt::format("at most {} arguments", kMaxCallArgs));
  }
  // The callee may use x87/SSE/AVX (aarch64: FP/SIMD) registers the interrupted code needs.
  PTK_TRY(remote.save_extended_state());
  PTK_ASSIGN_OR_RETURN(SavedMask mask, SavedMask::save(remote));
  std::vector<std::uint64_t> values;
  PTK_ASSIGN_OR_RETURN(CallFrame frame, push_frame(remote, args, values));
  Memory& memory = remote.session().memory(remote.tid());
  const Thread* t = remote.session().thread(remote.tid());
  PTK_ASSIGN_OR_RETURN(PatchedBytes window,
                       PatchedBytes::save_below(memory, t != nullptr ? t->pid : remote.tid(),
                                                frame.entry_sp, kCallStackWindow));

  const AbiInfo& abi = remote.abi_info();
  Registers regs = remote.saved_regs();
  regs.set_ip(function);
  regs.set_sp(frame.entry_sp);
  regs.set_flags(regs.flags() & ~remote_abi(abi.arch).call_clear_flags);
  // x86_64's al: no vector registers carry a variadic callee's arguments. Set before the
  // arguments, which overwrite it where the return register is also the first argument (x0).
  regs.set(RegRole::Ret, 0);
  for (std::size_t i = 0; i < values.size() && i < abi.call.reg_args; ++i) {
    regs.set(abi.call.int_arg_regs[i], values[i]);
  }
  if (abi.call.return_in_reg) regs.set(abi.call.return_reg, 0);
  PTK_ASSIGN_OR_RETURN(CodeStop stop, remote.run_code(regs));

  const std::size_t word = abi.word_size;
  CallResult result;
  // The return: `ret` jumped to our 0 (the fault at ip 0), with sp back at its entry value --
  // just above the popped slot on x86. A null function pointer called inside the callee also
  // faults at 0, but with its own return address pushed below (x86) or in x30 (aarch64).
  const std::uint64_t returned_sp = frame.entry_sp + (abi.call.return_in_reg ? 0 : word);
  result.returned = stop.kind == CodeStop::Kind::Fault && stop.signal == SIGSEGV &&
                    stop.regs.ip() == 0 && stop.regs.sp() == returned_sp &&
                    (!abi.call.return_in_reg || stop.regs.get(abi.call.return_reg) == 0);
  std::uint64_t mask_word = word == 4 ? 0xffffffffu : ~std::uint64_t{0};
  result.value = stop.regs.get(RegRole::Ret) & mask_word;
  result.signed_value = sign_extend(result.value, word);
  result.stop = stop;

  // Undo in the reverse order of doing, reporting the first failure.
  Status undo = window.restore();
  for (auto* s : {&frame.frame, &frame.strings}) {
    if (!s->has_value()) continue;
    Status r = (*s)->restore();
    if (undo.ok() && !r.ok()) undo = r;
  }
  if (Status r = mask.restore(remote); undo.ok() && !r.ok()) undo = r;
  if (!undo.ok()) return std::move(undo).error();
  return result;
}

Result<CallResult> remote_call(Session& session, pid_t tid, std::uint64_t function,
                               std::span<const CallArg> args) {
  PTK_ASSIGN_OR_RETURN(RemoteSyscalls remote, RemoteSyscalls::open(session, tid));
  auto result = remote_call(remote, function, args);
  Status restored = remote.restore();
  if (!result.ok()) return result;
  if (!restored.ok()) return std::move(restored).error();
  return result;
}

Result<std::uint64_t> resolve_ifunc(RemoteSyscalls& remote, std::uint64_t resolver) {
  PTK_ASSIGN_OR_RETURN(CallResult r, remote_call(remote, resolver, {}));
  if (!r.returned || r.value == 0) {
    return Error(ErrorKind::NotFound,
                 fmt::format("run the indirect function resolver at {:#x}", resolver), 0,
                 r.returned ? "it returned NULL" : "it did not return");
  }
  return r.value;
}

Result<std::uint64_t> resolve_ifunc(Session& session, pid_t tid, std::uint64_t resolver) {
  PTK_ASSIGN_OR_RETURN(RemoteSyscalls remote, RemoteSyscalls::open(session, tid));
  auto result = resolve_ifunc(remote, resolver);
  Status restored = remote.restore();
  if (!result.ok()) return result;
  if (!restored.ok()) return std::move(restored).error();
  return result;
}

}  // namespace ptk::inject
