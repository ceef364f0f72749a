#include "ptk/engine/trace_controls.h"

namespace ptk::engine {

void DetachOnExec::on_exec(Session& session, const Event& ev) {
  if (ev.pid == command_ && !skipped_first_) {
    skipped_first_ = true;
    return;
  }
  if (before_) before_(ev.tid);
  if (session.detach(ev.pid).ok() && after_) after_(ev.pid);
}

}  // namespace ptk::engine
