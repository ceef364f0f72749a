#include "stop_signals.h"

#include <signal.h>

namespace ptk::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;

void on_stop_signal(int) { g_stop = 1; }

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};

}  // namespace

void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: the handler must interrupt a blocking waitpid
  for (int sig : kStopSignals) sigaction(sig, &sa, nullptr);
}

std::span<const int> stop_signals() { return kStopSignals; }

volatile std::sig_atomic_t* stop_flag() { return &g_stop; }

}  // namespace ptk::cli
