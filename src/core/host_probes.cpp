// The host capability probes: a forked child tries the real thing, the parent reads how it
// ended. Children only make async-signal-safe calls (the caller may have threads).
#include "host_probes.h"

#include <elf.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "ptk/arch/debugreg.h"
#include "ptk/arch/hwdebug_aarch64.h"
#include "ptk/base/unique_fd.h"
#include "ptk/core/hw_debug.h"
#include "ptrace_call.h"

namespace ptk::detail {
namespace {

constexpr std::uint8_t kProgramStatus = 42;  // what a probe child that worked exits with
constexpr int kExecFormatError = 120;        // the child's execve failed with ENOEXEC
constexpr int kOtherFailure = 121;           // anything else went wrong in the child

// The wait status of a child, retrying on EINTR; -1 when it cannot be waited for.
int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return status;
}

bool exited_with(int status, int code) {
  return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

Probe run_i386_from_memfd() {
  std::vector<std::byte> image = i386_exit_program(kProgramStatus);
  UniqueFd fd(static_cast<int>(::syscall(SYS_memfd_create, "ptk-i386-probe", MFD_CLOEXEC)));
  if (fd.get() < 0) return Probe::Unknown;
  if (::write(fd.get(), image.data(), image.size()) != static_cast<ssize_t>(image.size())) {
    return Probe::Unknown;
  }
  pid_t pid = ::fork();
  if (pid < 0) return Probe::Unknown;
  if (pid == 0) {
    char name[] = "ptk-i386-probe";
    char* argv[] = {name, nullptr};
    char* envp[] = {nullptr};
    ::syscall(SYS_execveat, fd.get(), "", argv, envp, AT_EMPTY_PATH);
    ::_exit(errno == ENOEXEC ? kExecFormatError : kOtherFailure);
  }
  int status = wait_for(pid);
  if (exited_with(status, kProgramStatus)) return Probe::Present;
  if (exited_with(status, kExecFormatError)) return Probe::Missing;
  return Probe::Unknown;  // e.g. EACCES: memfds are not executable here (vm.memfd_noexec=2)
}

// The same question without an executable file: a 64-bit process enters the kernel through the
// 32-bit gate. Without IA32 emulation (or with ia32_emulation=false) the gate is not there and
// `int $0x80` raises #GP: SIGSEGV.
Probe run_int80() {
#if defined(__x86_64__)
  pid_t pid = ::fork();
  if (pid < 0) return Probe::Unknown;
  if (pid == 0) {
    long ret = 20;  // getpid in the i386 table
    // The kernel zeroes r8-r11 on the way back from int $0x80 (Linux 4.17+, entry_64_compat.S).
    asm volatile("int $0x80" : "+a"(ret) : : "r8", "r9", "r10", "r11", "memory");
    ::_exit(ret > 0 ? kProgramStatus : kOtherFailure);
  }
  int status = wait_for(pid);
  if (exited_with(status, kProgramStatus)) return Probe::Present;
  if (status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) return Probe::Missing;
  return Probe::Unknown;
#else
  return Probe::Unknown;
#endif
}

template <typename T>
void append(std::vector<std::byte>& out, const T& value) {
  const auto* bytes = reinterpret_cast<const std::byte*>(&value);
  out.insert(out.end(), bytes, bytes + sizeof value);
}

void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  (void)wait_for(pid);
}

// Arms a 4-byte write watchpoint at `address` in the stopped child `pid`.
bool arm_write_watch(pid_t pid, std::uint64_t address) {
#if defined(__aarch64__)
  const a64::HwSlot slot = a64::encode(address, 4, WatchKind::Write);
  return write_hw_slots(pid, HwSlotKind::Watchpoint, std::span(&slot, 1)).ok();
#else
  // The word of struct user that holds debug register `index`.
  auto offset = [](int index) {
    return offsetof(struct user, u_debugreg) + static_cast<std::uint64_t>(index) * sizeof(long);
  };
  return ptrace_call(PTRACE_POKEUSER, pid, offset(0), address).ok() &&
         ptrace_call(PTRACE_POKEUSER, pid, offset(kDr7Index), dr7_enable(0, 0, WatchKind::Write, 4))
             .ok();
#endif
}

}  // namespace

std::vector<std::byte> i386_exit_program(std::uint8_t status) {
  constexpr Elf32_Addr kBase = 0x08048000;  // the traditional i386 load address
  // mov $status, %ebx; mov $1, %eax (exit); int $0x80
  const std::uint8_t code[] = {0xbb, status, 0, 0, 0, 0xb8, 1, 0, 0, 0, 0xcd, 0x80};
  constexpr auto kCodeOffset = static_cast<Elf32_Off>(sizeof(Elf32_Ehdr) + sizeof(Elf32_Phdr));
  const auto size = static_cast<Elf32_Word>(kCodeOffset + sizeof code);

  Elf32_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS32;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = ET_EXEC;
  eh.e_machine = EM_386;
  eh.e_version = EV_CURRENT;
  eh.e_entry = kBase + kCodeOffset;
  eh.e_phoff = sizeof(Elf32_Ehdr);
  eh.e_ehsize = sizeof(Elf32_Ehdr);
  eh.e_phentsize = sizeof(Elf32_Phdr);
  eh.e_phnum = 1;

  Elf32_Phdr ph{};
  ph.p_type = PT_LOAD;
  ph.p_vaddr = ph.p_paddr = kBase;
  ph.p_filesz = ph.p_memsz = size;
  ph.p_flags = PF_R | PF_X;
  ph.p_align = 0x1000;

  std::vector<std::byte> out;
  append(out, eh);
  append(out, ph);
  append(out, code);
  return out;
}

Probe probe_i386_programs() {
  Probe p = run_i386_from_memfd();
  return p == Probe::Unknown ? run_int80() : p;
}

Probe probe_debug_register_traps() {
  static volatile std::uint32_t watched = 0;  // the child's copy is the one watched
  static_assert(sizeof watched == 4);
  pid_t pid = ::fork();
  if (pid < 0) return Probe::Unknown;
  if (pid == 0) {
    // Raw ptrace here: ptrace_call builds an Error (allocates), which a forked child must not.
    if (::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0) ::_exit(kOtherFailure);
    ::raise(SIGSTOP);
    watched = 1;  // traps here (SIGTRAP, TRAP_HWBKPT) where debug-register traps arrive
    ::_exit(0);
  }
  int status = wait_for(pid);
  // Not stopped: it could not be traced (a seccomp filter, a tracer of our own...) and is gone.
  if (status == -1 || !WIFSTOPPED(status)) return Probe::Unknown;
  auto address = reinterpret_cast<std::uint64_t>(&watched);
  bool set = ptrace_call(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_EXITKILL).ok() &&
             arm_write_watch(pid, address) && ptrace_call(PTRACE_CONT, pid).ok();
  status = set ? wait_for(pid) : -1;
  if (exited_with(status, 0)) return Probe::Missing;  // it wrote the variable untrapped
  bool trapped = status != -1 && WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP;
  if (status == -1 || WIFSTOPPED(status)) kill_and_reap(pid);
  return trapped ? Probe::Present : Probe::Unknown;
}

Probe probe_kprobes() {
  for (const char* path :
       {"/sys/bus/event_source/devices/kprobe/type", "/sys/kernel/tracing/kprobe_events",
        "/sys/kernel/debug/tracing/kprobe_events"}) {
    if (::access(path, F_OK) == 0) return Probe::Present;
  }
  return Probe::Missing;
}

}  // namespace ptk::detail
