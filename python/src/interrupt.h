// Ctrl-C while ptk waits for a tracee with the GIL let go: Python's own SIGINT handler only
// notes the signal for the interpreter, and ptk's waitpid would go on waiting. While a
// SigintGuard lives (on Python's main thread: the only one signals are handled on), SIGINT sets
// `flag` -- which the Session's WaitPolicy::interrupt points at, so the wait returns -- and
// the caller ends what it does and raises KeyboardInterrupt.
#pragma once

#include <signal.h>

#include <csignal>

namespace ptk::py {

class SigintGuard {
 public:
  explicit SigintGuard(volatile std::sig_atomic_t* flag);
  ~SigintGuard();
  SigintGuard(const SigintGuard&) = delete;
  SigintGuard& operator=(const SigintGuard&) = delete;

  // Whether a SIGINT came while the guard lived.
  bool fired() const;

 private:
  bool installed_ = false;
  struct sigaction old_ {};
  volatile std::sig_atomic_t* old_flag_ = nullptr;
};

// Sets KeyboardInterrupt as the Python error and throws it (the GIL held).
[[noreturn]] void raise_keyboard_interrupt();

}  // namespace ptk::py
