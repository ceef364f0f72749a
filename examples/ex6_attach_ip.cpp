// Example 6 of "Playing with ptrace" (part II): attach to a running process, print its
// instruction pointer and the instruction there, and detach.
//
//   ex6_attach_ip PID
//
// The article stops the process with PTRACE_ATTACH (a SIGSTOP); ptk seizes it and stops it with
// PTRACE_INTERRUPT instead, which sends no signal the program could notice. A process blocked
// in a syscall reports the instruction after the syscall instruction; the kernel restarts the
// syscall when it goes on. After the detach it carries on exactly as before.
#include <fmt/format.h>

#include <cstdlib>

#include "ptk/core/session.h"
#include "ptk/debug/disasm.h"
#include "ptk/debug/symbols.h"

namespace {

int fail(const ptk::Error& e) {
  fmt::print(stderr, "ex6_attach_ip: {}\n", e.message());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: ex6_attach_ip PID\n");
    return 2;
  }
  pid_t pid = std::atoi(argv[1]);
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  if (auto s = session.attach(pid); !s.ok()) return fail(s.error());
  fmt::print("attached to {}\n", pid);

  auto regs = session.get_regs(pid);
  if (!regs.ok()) return fail(regs.error());
  std::uint64_t ip = regs->ip();
  ptk::debug::Disassembler disasm;  // AT&T syntax, like gdb and objdump
  auto insn = disasm.decode_at(session.memory(pid), regs->arch(), ip);
  auto symbols = ptk::debug::SymbolTable::load(pid, &session.memory(pid));
  std::string where = symbols.ok() ? symbols->describe(ip).to_string() : "";
  fmt::print("{} ip {:#x} <{}>  {}  {}\n", ptk::to_string(regs->arch()), ip, where,
             insn.ok() ? insn->hex_bytes() : "??",
             insn.ok() ? insn->text() : "(unreadable: " + insn.error().message() + ")");

  if (auto s = session.detach(pid); !s.ok()) return fail(s.error());
  fmt::print("detached\n");
  return 0;
}
