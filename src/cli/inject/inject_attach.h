// The attach step shared by `ptk call` and `ptk inject --lib`: attach to a process, pick the
// thread that runs the code (-p may name any thread; --tid picks another) and load its symbols.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <utility>

#include "ptk/base/result.h"
#include "ptk/core/session.h"
#include "ptk/debug/symbols.h"

namespace ptk::cli {

struct AttachedTarget {
  std::unique_ptr<Session> session;  // heap: the symbol table keeps a pointer to its Memory
  pid_t pid = 0;                     // the thread group id
  pid_t tid = 0;                     // the thread that runs the code
  bool attached = false;
  std::optional<debug::SymbolTable> symbols;

  AttachedTarget() = default;
  AttachedTarget(AttachedTarget&& other) noexcept
      : session(std::move(other.session)),
        pid(other.pid),
        tid(other.tid),
        attached(std::exchange(other.attached, false)),
        symbols(std::move(other.symbols)) {}
  AttachedTarget& operator=(AttachedTarget&&) = delete;
  ~AttachedTarget();  // detaches when still attached

  // Detaches (the threads run on); idempotent.
  Status detach();
};

// Attaches to `pid` and loads the symbols. An error means nothing stays attached; `usage` is
// set when the error is the user's (a thread of another process).
Result<AttachedTarget> attach_target(pid_t pid, pid_t tid, bool& usage);

}  // namespace ptk::cli
