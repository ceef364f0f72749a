// Unwinder: the call stack of a stopped tracee thread, symbolised through libdwfl (elfutils).
//
// libdw reads the modules from /proc/PID/maps and their unwind tables (.eh_frame,
// .debug_frame) from the ELF files; every register and stack word comes from ptk_core
// (Session::get_regs, Memory::read), so libdw never calls ptrace(2) itself. The module list of
// each process is cached (opening the ELF files is the slow part) and brought up to date when
// the process's mappings change (dlopen, munmap); after an execve call forget().
//
// Used by `ptk trace -k` at syscall stops, and by the debugger (`ptk bt`, breakpoint actions).
// Like Session, an Unwinder is single-threaded.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "ptk/arch/registers.h"
#include "ptk/base/result.h"
#include "ptk/core/session.h"

namespace ptk::debug {

struct Frame {
  // As unwound: where the thread stopped (the innermost frame, or one a signal interrupted),
  // else a return address.
  std::uint64_t pc = 0;
  bool activation = false;  // pc is where execution stopped, not a return address
  // The ELF the pc is in, as /proc/PID/maps names it ("[vdso: PID]" for the vDSO); empty when
  // no module holds the pc.
  std::string module{};
  std::uint64_t module_offset = 0;  // pc - the module's load bias: what strace -k shows in [0x...]
  // The ELF symbol the pc is in, raw (mangled, as strace -k prints it) but without a symbol
  // version ("@@GLIBC_2.34"); empty when none.
  std::string symbol{};
  std::uint64_t symbol_offset = 0;  // pc - the symbol's address
  // From the DWARF line table, only when BacktraceOptions::source_lines asks for it.
  std::string source_file{};
  int source_line = 0;

  // The address the module, symbol and line are looked up at. A return address is the
  // instruction after the call, which is already the next function when the call ends its
  // caller (a noreturn call): one byte back is inside the call instruction, in the caller.
  // (The offsets above stay relative to pc itself, as strace and gdb print them.)
  std::uint64_t lookup_pc() const { return activation ? pc : pc - 1; }
  // The symbol demangled ("ns::f(int)") when it is a C++ name, else as is.
  std::string demangled_symbol() const;
};

struct BacktraceOptions {
  std::size_t max_frames = 256;
  bool source_lines = false;  // fill source_file/source_line (reads DWARF; for `ptk bt`)
};

class Unwinder {
 public:
  explicit Unwinder(Session& session);
  ~Unwinder();
  Unwinder(const Unwinder&) = delete;
  Unwinder& operator=(const Unwinder&) = delete;

  // The stack of a thread in a ptrace-stop, innermost frame first. Fails only when not even
  // the first frame is known (the thread is not traced, running, or gone); a stack that ends
  // early (no unwind info, a corrupt frame) is returned as far as it goes.
  Result<std::vector<Frame>> backtrace(pid_t tid, std::size_t max_frames = 256);
  Result<std::vector<Frame>> backtrace(pid_t tid, const BacktraceOptions& options);
  // From the given registers instead of the thread's current ones: e.g. at a breakpoint, with
  // ip moved back over the int3, or a state saved earlier in the same stop.
  Result<std::vector<Frame>> backtrace(pid_t tid, const Registers& regs,
                                       const BacktraceOptions& options = {});

  // The module, symbol (and line) of an address in the process of a traced thread `pid`, e.g.
  // a breakpoint's or a function pointer's. The frame's pc is `address`, as an activation.
  Result<Frame> symbolize(pid_t pid, std::uint64_t address, bool source_lines = false);

  // Drops what is cached for a process: after its execve (a new address space, maybe another
  // ABI) or its end. Changed mappings alone are noticed without it.
  void forget(pid_t pid);
  void forget_all();

  struct ProcessCache;  // per process: the Dwfl and what its callbacks need (unwind.cpp)

 private:
  Result<const Thread*> stopped_thread(pid_t tid) const;
  Result<ProcessCache*> cache_for(pid_t pid, Arch arch);

  Session& session_;
  std::unordered_map<pid_t, std::unique_ptr<ProcessCache>> caches_;
};

}  // namespace ptk::debug
