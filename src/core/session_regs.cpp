// Session's register I/O: a thread's general registers as this host's transport block
// (ptk/arch/registers.h), the extended (x87/SSE/AVX; FP/SIMD) state, and the x86-only debug
// registers.
#include <elf.h>
#include <fmt/format.h>
#include <sys/uio.h>
#include <sys/user.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ptk/core/session.h"
#include "ptrace_call.h"

namespace ptk {

using detail::ptrace_call;

namespace {

#if defined(__x86_64__)

// NT_X86_XSTATE of <elf.h>: the regset of the XSAVE area (x87, SSE, AVX, ... state).
constexpr std::uint64_t kNtX86Xstate = 0x202;

// struct user_regs_struct: the whole block, one request each way.
Status read_block(pid_t tid, Registers::HostBlock& block) {
  PTK_TRY(ptrace_call(PTRACE_GETREGS, tid, 0, reinterpret_cast<std::uint64_t>(block.data())));
  return ok_status();
}

Status write_block(pid_t tid, const Registers& regs) {
  PTK_TRY(ptrace_call(PTRACE_SETREGS, tid, 0,
                      reinterpret_cast<std::uint64_t>(regs.host_block().data())));
  return ok_status();
}

#elif defined(__aarch64__)

// One regset of a thread into or out of `size` bytes at `data`; the kernel sets iov_len to the
// bytes it moved.
Result<std::size_t> regset(int request, pid_t tid, int type, void* data, std::size_t size) {
  iovec iov{data, size};
  PTK_TRY(ptrace_call(request, tid, static_cast<std::uint64_t>(type),
                      reinterpret_cast<std::uint64_t>(&iov)));
  return iov.iov_len;
}

// struct user_pt_regs (NT_PRSTATUS), then the syscall number (NT_ARM_SYSTEM_CALL's int) into the
// block's slot after it.
Status read_block(pid_t tid, Registers::HostBlock& block) {
  PTK_ASSIGN_OR_RETURN(std::size_t got, regset(PTRACE_GETREGSET, tid, NT_PRSTATUS, block.data(),
                                               kAarch64PtRegsSize));
  if (got != kAarch64PtRegsSize) {
    // An AArch32 (compat) task's NT_PRSTATUS is 18 32-bit words: no Aarch64 block.
    return Error(ErrorKind::Unsupported, fmt::format("registers of thread {}", tid), 0,
                 fmt::format("its NT_PRSTATUS has {} bytes, not {}: 32-bit Arm (AArch32) tasks "
                             "are not supported",
                             got, kAarch64PtRegsSize));
  }
  std::int32_t nr = 0;
  PTK_TRY(regset(PTRACE_GETREGSET, tid, NT_ARM_SYSTEM_CALL, &nr, sizeof nr));
  store_aarch64_syscallno(block, nr);
  return ok_status();
}

// The general registers, then the syscall number only when it differs from the thread's. The
// kernel stores NT_ARM_SYSTEM_CALL's int in pt_regs->syscallno at any stop, unchecked
// (arch/arm64/kernel/ptrace.c, system_call_set). At a stop outside a syscall that field is
// NO_SYSCALL (-1), and signal delivery takes any other value for an interrupted call to restart
// (arch/arm64/kernel/signal.c, do_signal: pc moved back 4 bytes, x0 reloaded): writing back a
// value read at another stop would do that, so an unchanged number is never written.
Status write_block(pid_t tid, const Registers& regs) {
  if (regs.arch() != Arch::Aarch64) {
    return Error(ErrorKind::InvalidArgument, fmt::format("set the registers of thread {}", tid), 0,
                 fmt::format("they are {} registers; this host runs aarch64 tasks only",
                             to_string(regs.arch())));
  }
  Registers::HostBlock block = regs.host_block();  // PTRACE_SETREGSET takes a non-const buffer
  PTK_TRY(regset(PTRACE_SETREGSET, tid, NT_PRSTATUS, block.data(), kAarch64PtRegsSize));
  std::int32_t now = 0;
  PTK_TRY(regset(PTRACE_GETREGSET, tid, NT_ARM_SYSTEM_CALL, &now, sizeof now));
  std::int32_t want = load_aarch64_syscallno(block);
  if (want != now) PTK_TRY(regset(PTRACE_SETREGSET, tid, NT_ARM_SYSTEM_CALL, &want, sizeof want));
  return ok_status();
}

Error x86_only(std::string call, pid_t tid, const char* hint) {
  return Error(ErrorKind::Unsupported, fmt::format("{} of {}", call, tid), 0,
               fmt::format("{}: not yet supported on aarch64", hint));
}

#endif

}  // namespace

Result<Registers> Session::get_regs(pid_t tid) {
  Registers::HostBlock block{};
  PTK_TRY(read_block(tid, block));
  Arch arch = Registers::arch_of_host_block(block);
  if (auto it = threads_.find(tid); it != threads_.end()) it->second.arch = arch;
  return Registers(arch, block);
}

Status Session::set_regs(pid_t tid, const Registers& regs) { return write_block(tid, regs); }

#if defined(__x86_64__)

Result<std::vector<std::byte>> Session::get_xstate(pid_t tid) {
  // The XSAVE area's size depends on the CPU's features (AVX-512: 2.7 KiB, AMX: 11 KiB); the
  // kernel shortens iov_len to what it wrote.
  std::vector<std::byte> image(16384);
  iovec iov{image.data(), image.size()};
  PTK_TRY(ptrace_call(PTRACE_GETREGSET, tid, kNtX86Xstate, reinterpret_cast<std::uint64_t>(&iov)));
  image.resize(iov.iov_len);
  return image;
}

Status Session::set_xstate(pid_t tid, const std::vector<std::byte>& image) {
  std::vector<std::byte> copy = image;  // PTRACE_SETREGSET takes a non-const buffer
  iovec iov{copy.data(), copy.size()};
  PTK_TRY(ptrace_call(PTRACE_SETREGSET, tid, kNtX86Xstate, reinterpret_cast<std::uint64_t>(&iov)));
  return ok_status();
}

// The debug registers live in struct user of the 64-bit tracer's ABI; the kernel maps the same
// offsets for a 32-bit tracee (arch/x86/kernel/ptrace.c, ptrace_get_debugreg), so one offset
// table serves both.
static Result<std::uint64_t> debugreg_offset(pid_t tid, int index) {
  if (index < 0 || index > 7 || index == 4 || index == 5) {
    return Error(ErrorKind::InvalidArgument, fmt::format("debug register {} of {}", index, tid), 0,
                 "DR0-DR3, DR6 and DR7 only");
  }
  return offsetof(struct user, u_debugreg) + static_cast<std::uint64_t>(index) * sizeof(long);
}

Result<std::uint64_t> Session::get_debugreg(pid_t tid, int index) {
  PTK_ASSIGN_OR_RETURN(std::uint64_t offset, debugreg_offset(tid, index));
  PTK_ASSIGN_OR_RETURN(long word, detail::ptrace_peek_user(tid, offset));
  return static_cast<std::uint64_t>(word);
}

Status Session::set_debugreg(pid_t tid, int index, std::uint64_t value) {
  PTK_ASSIGN_OR_RETURN(std::uint64_t offset, debugreg_offset(tid, index));
  PTK_TRY(ptrace_call(PTRACE_POKEUSER, tid, offset, value));
  return ok_status();
}

#elif defined(__aarch64__)

// aarch64's extended state: the FP/SIMD registers, struct user_fpsimd_state (v0-v31, fpsr,
// fpcr: 528 bytes) through NT_PRFPREG. A thread stopped in a syscall has nothing beyond it: the
// kernel drops SVE state at syscall entry (arch/arm64/kernel/syscall.c, fp_user_discard), and
// the SVE registers' low 128 bits are these. Elsewhere, live SVE state loses its upper bits
// when this image is written back (arch/arm64/kernel/ptrace.c, fpr_set).
Result<std::vector<std::byte>> Session::get_xstate(pid_t tid) {
  std::vector<std::byte> image(1024);
  PTK_ASSIGN_OR_RETURN(std::size_t got,
                       regset(PTRACE_GETREGSET, tid, NT_PRFPREG, image.data(), image.size()));
  image.resize(got);
  return image;
}

Status Session::set_xstate(pid_t tid, const std::vector<std::byte>& image) {
  std::vector<std::byte> copy = image;  // PTRACE_SETREGSET takes a non-const buffer
  PTK_ASSIGN_OR_RETURN(std::size_t put,
                       regset(PTRACE_SETREGSET, tid, NT_PRFPREG, copy.data(), copy.size()));
  (void)put;
  return ok_status();
}

Result<std::uint64_t> Session::get_debugreg(pid_t tid, int index) {
  return x86_only(fmt::format("debug register {}", index), tid, "x86 debug registers");
}

Status Session::set_debugreg(pid_t tid, int index, std::uint64_t) {
  return x86_only(fmt::format("set debug register {}", index), tid, "x86 debug registers");
}

#endif

}  // namespace ptk
