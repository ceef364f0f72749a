// Attaching for `ptk call` and `ptk inject --lib`.
#include "inject/inject_attach.h"

#include <fmt/format.h>

namespace ptk::cli {

AttachedTarget::~AttachedTarget() { (void)detach(); }

Status AttachedTarget::detach() {
  if (!session || !attached) return ok_status();
  attached = false;
  return session->detach(pid);
}

Result<AttachedTarget> attach_target(pid_t pid, pid_t tid, bool& usage) {
  usage = false;
  AttachedTarget t;
  t.session = std::make_unique<Session>(SessionOptions{.syscall_stops = SyscallStops::None});
  PTK_TRY(t.session->attach(pid));
  t.attached = true;
  const Thread* named = t.session->thread(pid);
  t.pid = named != nullptr ? named->pid : pid;
  t.tid = tid != 0 ? tid : pid;
  const Thread* runner = t.session->thread(t.tid);
  if (runner == nullptr || runner->pid != t.pid) {
    usage = true;
    return Error(ErrorKind::InvalidArgument,
                 fmt::format("thread {} is not a thread of process {}", t.tid, pid));
  }
  PTK_ASSIGN_OR_RETURN(debug::SymbolTable symbols,
                       debug::SymbolTable::load(t.pid, &t.session->memory(t.tid)));
  t.symbols.emplace(std::move(symbols));
  return t;
}

}  // namespace ptk::cli
