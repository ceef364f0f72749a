// StepRun: `ptk step` at run time. One thread is single-stepped (debug::Stepper) from a start
// condition (the first instruction, a location, or after a syscall returns) to a limit, its
// end or a stop signal; then a command ptk started runs on to its end unstepped, and an
// attached process is let go as it was. Each instruction goes to a StepSink.
#pragma once

#include <sys/types.h>

#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/core/session.h"
#include "ptk/debug/cpu_pin.h"
#include "ptk/debug/live_symbols.h"
#include "ptk/debug/stepper.h"
#include "ptk/engine/engine.h"

namespace ptk::engine {

struct StepRunOptions {
  int pid = 0;                       // the process to attach to, when `command` is empty
  std::vector<std::string> command;  // the command to spawn (stepped from its first instruction)
  std::uint64_t max = 0;             // 0: until the thread ends
  std::string from;                  // start at this location (symbol, lib:symbol, file:line...)
  std::string from_syscall;          // start after this syscall first returns
  // Run ptk and the stepped thread on one CPU while stepping (about 2x faster; the thread's own
  // mask is put back for each of its syscalls, see cpu_pin.h).
  bool same_cpu = true;
  int spin_us = -1;      // WaitPolicy::spin_us; -1: the default policy
  bool symbols = false;  // keep the process's symbols current (symbols()): printing, profiles
  const volatile std::sig_atomic_t* stop = nullptr;  // nonzero ends the stepping
  // "Process 12 attached", "Process 12 detached", "process 12 (prog) was killed by SIGKILL".
  std::function<void(std::string_view)> note;
  // A failure the run goes on after (the stepped process could not be cleaned up fully).
  std::function<void(const Error&)> report;
};

class StepRun;

class StepSink {
 public:
  virtual ~StepSink() = default;
  // The thread is at its start, about to be stepped: a failure here ends the run (the process
  // is let go as it was).
  virtual Status begin(StepRun& /*run*/) { return ok_status(); }
  // Whether step() is wanted for each instruction (false: only the count, which is faster).
  virtual bool wants_steps() const { return true; }
  // Before each instruction of the stepped thread `tid` runs.
  virtual void step(pid_t /*tid*/, const Registers& /*regs*/) {}
  // After the stepping, before a command ptk started runs on unstepped.
  virtual void before_run_on() {}
};

class StepRun {
 public:
  StepRun(StepRunOptions options, StepSink& sink);

  // The process's status as a shell sees it when it ended while stepped or ran on to its end;
  // 0 when it was let go. `interrupted`: a stop signal came and a command ptk started was let
  // go (a tool then dies of the signal). An error: nothing was stepped, or stepping failed; the
  // process was let go as it was.
  Result<RunEnd> run();

  Session& session() { return session_; }
  pid_t pid() const { return pid_; }
  pid_t tid() const { return tid_; }  // the stepped thread
  debug::LiveSymbols* symbols() { return symbols_.get(); }
  std::uint64_t steps() const { return steps_; }

 private:
  static SessionOptions session_options(const StepRunOptions& o);
  Status start_process();
  Result<debug::StepStart> start_condition();
  void pin_to_one_cpu();
  Result<RunEnd> give_up(const Error& e);
  Result<RunEnd> finish(const debug::StepOutcome& outcome);
  RunEnd ended(const WaitStatus& end);
  RunEnd run_rest_to_end();
  Result<RunEnd> let_go();
  void note(std::string_view text) const {
    if (options_.note) options_.note(text);
  }

  StepRunOptions options_;
  StepSink& sink_;
  Session session_;
  debug::Stepper stepper_{session_};
  pid_t pid_ = 0;
  pid_t tid_ = 0;
  std::string name_;  // the program's, for "process 12 (prog) was killed by SIGKILL"
  std::unique_ptr<debug::LiveSymbols> symbols_;
  std::optional<debug::CpuPin> pin_;
  std::uint64_t steps_ = 0;
};

}  // namespace ptk::engine
