// The signals that end a ptk session early (Ctrl-C, kill, a closed terminal or pipe), taken
// as strace 6.1 takes them by default (its -I option; measured, see stop_signals.cpp):
//
// - ptk started a command and writes its output to a file (-o): they are ignored. The command
//   runs to its end, traced, and ptk exits with its status. A Ctrl-C at a terminal reaches the
//   command too (the whole foreground process group gets it), so it ends the command, not ptk.
// - otherwise they interrupt: their handler only sets a flag, which the event loop looks at, so
//   that ptk puts back what it changed and detaches. A command ptk started gets SIGCONT and the
//   same signal, as strace sends its child, and runs on untraced (it is not killed: what the
//   signal does to it is its own business); ptk then dies of that signal. An attached process
//   (-p) runs on as before, and ptk exits 0.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <csignal>
#include <cstdint>
#include <span>

#include "ptk/core/session.h"

namespace ptk::engine {

// Interrupt: a handler ends the trace cleanly; Ignore: they change nothing; Untouched: the
// dispositions ptk was started with (strace -I1, "anywhere": ptk dies of them at once).
enum class StopSignals : std::uint8_t { Interrupt, Ignore, Untouched };

// strace's default: ignored when a command is started and the output goes to a file.
StopSignals stop_signals_for(bool spawning, bool output_to_file);

// Ignores, leaves as ptk found them, or installs the flag-setting handler for, SIGINT, SIGTERM,
// SIGHUP, SIGQUIT and SIGPIPE. The dispositions ptk was started with are kept for the commands it
// spawns.
void install_stop_handlers(StopSignals how = StopSignals::Interrupt);

// Those signals.
std::span<const int> stop_signals();

// The signal the tracer child gets when the process the user started dies, however it dies
// (ptk/core/tracer_child.h). It stops a session as the stop signals do, even where they are
// ignored, but the command ptk started is not sent anything: it is detached and runs on, as
// the kernel would have left it had the tracer itself been killed, minus ptk's changes.
int parent_death_signal();

// A spawned command starts with the dispositions of those signals ptk itself was started
// with: SIG_DFL, or SIG_IGN as `nohup` or a shell's background job leave them, not ptk's own.
void set_child_signals(SpawnOptions& spawn);

// Nonzero once one of those signals came: the first one's number. Hand it to
// WaitPolicy::interrupt and to the loops that take a stop flag.
volatile std::sig_atomic_t* stop_flag();
// True once one of them came, for loops that take an atomic flag (the eBPF backend's).
const std::atomic<bool>& stop_requested();

// After a stop signal, before ptk lets go of the command it started: SIGCONT (a stopped
// command must see the signal) and the stop signal itself, to that one process (not its
// children), as strace does. No-op when no stop signal came.
void forward_stop_signal(pid_t command);

// Ends ptk by the stop signal that came (the default action, no core file), as strace does
// after it let go of the command it started.
[[noreturn]] void die_of_stop_signal();

}  // namespace ptk::engine
