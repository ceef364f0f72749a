// HeldProcess: a process held stopped for one operation -- an inspection (regs, mem, maps, bt),
// an injection, a remote call. Every thread is attached and stopped while the object lives;
// release() (or the destructor) lets it go exactly as it was, running or group-stopped.
#pragma once

#include <sys/types.h>

#include <memory>
#include <vector>

#include "ptk/base/result.h"
#include "ptk/core/memory.h"
#include "ptk/core/session.h"

namespace ptk::engine {

class HeldProcess {
 public:
  // `pid` may be any thread id of the process: the whole process is attached. Says why a
  // process cannot be held before anything touches it (check_attachable: no such process, a
  // zombie, a kernel thread, ptk itself).
  static Result<std::unique_ptr<HeldProcess>> attach(pid_t pid);
  ~HeldProcess();
  HeldProcess(const HeldProcess&) = delete;
  HeldProcess& operator=(const HeldProcess&) = delete;

  Session& session() { return session_; }
  pid_t pid() const { return pid_; }  // the thread group id
  bool holds(pid_t tid) const;        // a thread of this process
  // The threads of the process, the main thread first, then by id.
  std::vector<pid_t> threads() const;
  // Memory of the process, read and written through a stopped thread.
  Memory& memory() { return session_.memory(pid_); }
  // The word size of the process, from its main thread's registers (4 for i386).
  int word_size();
  // Lets the process go; idempotent.
  Status release();

 private:
  explicit HeldProcess(pid_t pid);
  Session session_;
  pid_t pid_;
  bool attached_ = false;
};

}  // namespace ptk::engine
