#include "ptk/engine/program_start.h"

#include <span>

#include "ptk/core/proc.h"
#include "ptk/debug/stepper.h"
#include "ptk/engine/stop_signals.h"

namespace ptk::engine {

std::optional<std::uint64_t> entry_point(pid_t pid, Arch arch) {
  auto auxv = read_proc_file(pid, "auxv");
  if (!auxv.ok()) return std::nullopt;
  constexpr std::uint64_t kAtEntry = 9;  // AT_ENTRY, <elf.h>
  for (auto [type, value] :
       parse_auxv(std::as_bytes(std::span(auxv->data(), auxv->size())), abi(arch).word_size)) {
    if (type == kAtEntry) return value;
  }
  return std::nullopt;
}

Status spawn_to_entry(Session& session, const std::vector<std::string>& argv, pid_t& pid) {
  SpawnOptions sp;
  sp.argv = argv;
  set_child_signals(sp);
  PTK_ASSIGN_OR_RETURN(pid, session.spawn(sp));
  // A dynamic program starts in its dynamic linker: run it to its entry point first.
  PTK_ASSIGN_OR_RETURN(Registers regs, session.get_regs(pid));
  auto entry = entry_point(pid, regs.arch());
  if (entry && *entry != regs.ip()) {
    debug::Stepper stepper(session);
    debug::StepStart to_entry{.kind = debug::StepStart::Kind::AtAddress, .address = *entry};
    PTK_ASSIGN_OR_RETURN(pid_t at, stepper.run_to_start(pid, to_entry, stop_flag()));
    // Stopped by the stepper's own int3: its SIGTRAP is not the program's to receive.
    PTK_TRY(session.set_pending_signal(at, 0));
  }
  return ok_status();
}

}  // namespace ptk::engine
