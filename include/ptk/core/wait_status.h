// WaitStatus: what one waitpid(2) status word means for a traced thread.
// Pure decoding (no syscalls), so every case is unit-testable.
#pragma once

#include <cstdint>
#include <string>

namespace ptk {

class WaitStatus {
 public:
  enum class Kind : std::uint8_t {
    Exited,         // WIFEXITED
    Killed,         // WIFSIGNALED
    SyscallStop,    // SIGTRAP|0x80 with PTRACE_O_TRACESYSGOOD
    EventStop,      // SIGTRAP with a PTRACE_EVENT_* in bits 16..23 (not EVENT_STOP)
    GroupStop,      // PTRACE_EVENT_STOP with a stopping signal (PTRACE_SEIZE only)
    InterruptStop,  // PTRACE_EVENT_STOP with SIGTRAP: PTRACE_INTERRUPT, or a new child's first stop
    SignalStop,     // signal-delivery-stop
    Continued,      // WIFCONTINUED (only with WCONTINUED; ptk does not ask for it)
  };

  explicit WaitStatus(int raw) : raw_(raw) {}
  int raw() const { return raw_; }
  Kind kind() const;

  int exit_code() const;     // Exited
  int term_signal() const;   // Killed
  bool core_dumped() const;  // Killed
  int stop_signal() const;   // any stop
  int ptrace_event() const;  // PTRACE_EVENT_* or 0

  // For messages: "exited with 3", "killed by SIGKILL (core dumped)", "syscall stop", ...
  std::string describe() const;

 private:
  int raw_;
};

// "SIGSEGV" for 11; "SIGRT_3" for real-time signals; "signal 99" beyond.
std::string signal_name(int sig);

}  // namespace ptk
