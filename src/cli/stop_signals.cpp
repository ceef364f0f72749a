#include "stop_signals.h"

#include <signal.h>

#include "ptk/core/wait_policy.h"

namespace ptk::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_stop_signal(int, siginfo_t*, void* ucontext) {
  g_stop = 1;
  interrupt_wait_from_handler(ucontext);
}

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};

}  // namespace

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_sigaction = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO;  // no SA_RESTART: the handler must interrupt a blocking waitpid
  for (int sig : kStopSignals) sigaction(sig, &sa, nullptr);
}

std::span<const int> stop_signals() { return kStopSignals; }

volatile std::sig_atomic_t* stop_flag() { return &g_stop; }

}  // namespace ptk::cli
