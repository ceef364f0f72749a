#include "ptk/engine/held_process.h"

#include <algorithm>

#include "ptk/core/proc.h"

namespace ptk::engine {

HeldProcess::HeldProcess(pid_t pid)
    : session_(SessionOptions{.syscall_stops = SyscallStops::None}), pid_(pid) {}

HeldProcess::~HeldProcess() { (void)release(); }

Result<std::unique_ptr<HeldProcess>> HeldProcess::attach(pid_t pid) {
  PTK_TRY(check_attachable(pid));
  PTK_ASSIGN_OR_RETURN(ProcStatus st, read_status(pid));
  std::unique_ptr<HeldProcess> held(new HeldProcess(st.tgid > 0 ? st.tgid : pid));
  PTK_TRY(held->session_.attach(held->pid_));
  held->attached_ = true;
  return held;
}

bool HeldProcess::holds(pid_t tid) const {
  const Thread* t = session_.thread(tid);
  return t != nullptr && t->pid == pid_;
}

std::vector<pid_t> HeldProcess::threads() const {
  std::vector<pid_t> tids;
  if (const Process* p = session_.process(pid_)) tids = p->tids;
  std::sort(tids.begin(), tids.end(), [this](pid_t a, pid_t b) {
    if ((a == pid_) != (b == pid_)) return a == pid_;
    return a < b;
  });
  return tids;
}

int HeldProcess::word_size() {
  auto regs = session_.get_regs(pid_);
  if (!regs.ok()) return 8;
  return regs->abi_info().word_size;
}

Status HeldProcess::release() {
  if (!attached_) return ok_status();
  attached_ = false;
  return session_.detach(pid_);
}

}  // namespace ptk::engine
