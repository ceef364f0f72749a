// Attaching for `ptk call` and `ptk inject --lib`.
#include "inject/inject_attach.h"

#include <fmt/format.h>

namespace ptk::cli {

Result<AttachedTarget> attach_target(pid_t pid, pid_t tid, bool& usage) {
  usage = false;
  AttachedTarget t;
  PTK_ASSIGN_OR_RETURN(t.held, engine::HeldProcess::attach(pid));
  t.pid = t.held->pid();
  t.tid = tid != 0 ? tid : pid;
  if (!t.held->holds(t.tid)) {
    usage = true;
    return Error(ErrorKind::InvalidArgument,
                 fmt::format("thread {} is not a thread of process {}", t.tid, pid));
  }
  PTK_ASSIGN_OR_RETURN(debug::SymbolTable symbols,
                       debug::SymbolTable::load(t.pid, &t.session().memory(t.tid)));
  t.symbols.emplace(std::move(symbols));
  return t;
}

}  // namespace ptk::cli
