#include "interrupt.h"

#include <pybind11/pybind11.h>

#include "ptk/core/wait_policy.h"

namespace ptk::py {

namespace {

volatile std::sig_atomic_t* g_flag = nullptr;  // the innermost guard's
volatile std::sig_atomic_t g_fired = 0;

void on_sigint(int sig, siginfo_t* /*info*/, void* ucontext) {
  g_fired = 1;
  if (g_flag != nullptr) *g_flag = sig;
  interrupt_wait_from_handler(ucontext);
}

bool on_main_thread() {
  namespace pyb = pybind11;
  pyb::module_ threading = pyb::module_::import("threading");
  pyb::object main_ident = threading.attr("main_thread")().attr("ident");
  return main_ident.equal(threading.attr("get_ident")());
}

}  // namespace

SigintGuard::SigintGuard(volatile std::sig_atomic_t* flag) {
  if (!on_main_thread()) return;
  struct sigaction sa {};
  sa.sa_sigaction = on_sigint;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_SIGINFO;  // no SA_RESTART: the signal must end a blocking waitpid
  old_flag_ = g_flag;
  g_flag = flag;
  if (old_flag_ == nullptr) g_fired = 0;
  installed_ = sigaction(SIGINT, &sa, &old_) == 0;
  if (!installed_) g_flag = old_flag_;
}

SigintGuard::~SigintGuard() {
  if (!installed_) return;
  sigaction(SIGINT, &old_, nullptr);
  g_flag = old_flag_;
}

bool SigintGuard::fired() const { return installed_ && g_fired != 0; }

void raise_keyboard_interrupt() {
  PyErr_SetNone(PyExc_KeyboardInterrupt);
  throw pybind11::error_already_set();
}

}  // namespace ptk::py
