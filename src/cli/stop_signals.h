// The signals that end a ptk session early (Ctrl-C, kill, a closed terminal or pipe): their
// handler only sets a flag, which the event loop looks at, so that ptk can put back what it
// changed and detach (with -p the process runs on) instead of dying with tracees held.
#pragma once

#include <csignal>
#include <span>

namespace ptk::cli {

// Those signals; a spawned command gets their default actions back (it must not inherit
// a disposition of ptk's).
std::span<const int> stop_signals();

// Installs the handler for SIGINT, SIGTERM, SIGHUP, SIGQUIT and SIGPIPE.
void install_stop_handlers();

// Set (nonzero) once one of those signals came. Hand it to WaitPolicy::interrupt and to the
// loops that take a stop flag.
volatile std::sig_atomic_t* stop_flag();

}  // namespace ptk::cli
