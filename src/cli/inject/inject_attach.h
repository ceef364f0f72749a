// The attach step shared by `ptk call` and `ptk inject --lib`: attach to a process, pick the
// thread that runs the code (-p may name any thread; --tid picks another) and load its symbols.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>

#include "ptk/base/result.h"
#include "ptk/core/session.h"
#include "ptk/debug/symbols.h"
#include "ptk/engine/held_process.h"

namespace ptk::cli {

struct AttachedTarget {
  // Heap: the symbol table keeps a pointer to its session's Memory. Let go with it.
  std::unique_ptr<engine::HeldProcess> held;
  pid_t pid = 0;  // the thread group id
  pid_t tid = 0;  // the thread that runs the code
  std::optional<debug::SymbolTable> symbols;

  Session& session() { return held->session(); }
  // Detaches (the threads run on); idempotent.
  Status detach() { return held ? held->release() : ok_status(); }
};

// Attaches to `pid` and loads the symbols. An error means nothing stays attached; `usage` is
// set when the error is the user's (a thread of another process).
Result<AttachedTarget> attach_target(pid_t pid, pid_t tid, bool& usage);

}  // namespace ptk::cli
