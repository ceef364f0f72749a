// Article part I, example 5: let a small program run until its write(2) returns, then
// single-step it to its end (PTRACE_SINGLESTEP), printing each instruction before it runs
// (address, symbol, bytes, disassembly) and counting them.
#include <fmt/format.h>

#include "ptk/core/session.h"
#include "ptk/core/wait_status.h"
#include "ptk/debug/disasm.h"
#include "ptk/debug/stepper.h"
#include "ptk/debug/symbols.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: {} PROGRAM [ARGS...]\n", argv[0]);
    return 2;
  }
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  auto pid = session.spawn({.argv = {argv + 1, argv + argc}});
  if (!pid.ok()) {
    fmt::print(stderr, "ex5: {}\n", pid.error().message());
    return 1;
  }
  // Run (stopping at syscalls) until the exit of the first write.
  ptk::debug::Stepper stepper(session);
  using Start = ptk::debug::StepStart;
  auto tid =
      stepper.run_to_start(*pid, Start{.kind = Start::Kind::AfterSyscall, .syscall = "write"});
  if (!tid.ok()) {
    fmt::print(stderr, "ex5: {}\n", tid.error().message());
    return 1;
  }
  auto symbols = ptk::debug::SymbolTable::load(*pid, &session.memory(*pid));
  ptk::debug::Disassembler disasm;  // AT&T syntax, like gdb and objdump
  auto print_instruction = [&](const ptk::Registers& regs) {
    std::uint64_t ip = regs.ip();
    auto insn = disasm.decode_at(session.memory(*tid), regs.arch(), ip);
    std::string where = symbols.ok() ? symbols->describe(ip).to_string() : "";
    fmt::print("{:#x} <{}>  {:<20}  {}\n", ip, where, insn.ok() ? insn->hex_bytes() : "??",
               insn.ok() ? insn->text() : "(unreadable)");
    return true;  // go on stepping
  };
  // Step to the end, the exit syscall included.
  auto outcome = stepper.step(*tid, {}, print_instruction);
  if (!outcome.ok()) {
    fmt::print(stderr, "ex5: {}\n", outcome.error().message());
    return 1;
  }
  std::fflush(stdout);
  fmt::print("{} instructions\n", outcome->steps);
  if (outcome->end == ptk::debug::StepEnd::Killed) {
    fmt::print(stderr, "the child was killed by {}\n", ptk::signal_name(outcome->last.signal));
    return 128 + outcome->last.signal;
  }
  return outcome->last.exit_code;
}
