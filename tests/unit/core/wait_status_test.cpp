// WaitStatus: raw waitpid(2) statuses, built with the layouts of the W* macros, decoded into
// the kind of stop or end they are; and signal_name.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>

#include "ptk/core/wait_status.h"

namespace ptk {
namespace {

// The layouts glibc's W* macros decode (bits/waitstatus.h): exit code in bits 8..15; a fatal
// signal in bits 0..6 with the core flag 0x80; a stop as 0x7f with the signal in bits 8..15 and
// a PTRACE_EVENT_* in bits 16..23.
constexpr int exited(int code) { return code << 8; }
constexpr int killed(int sig, bool core = false) { return sig | (core ? 0x80 : 0); }
constexpr int stopped(int sig, int event = 0) { return (event << 16) | (sig << 8) | 0x7f; }
constexpr int kContinued = 0xffff;

TEST(WaitStatus, LayoutsAgreeWithTheWaitMacros) {
  EXPECT_TRUE(WIFEXITED(exited(3)));
  EXPECT_EQ(WEXITSTATUS(exited(3)), 3);
  EXPECT_TRUE(WIFSIGNALED(killed(SIGSEGV, true)));
  EXPECT_TRUE(WCOREDUMP(killed(SIGSEGV, true)));
  EXPECT_TRUE(WIFSTOPPED(stopped(SIGSTOP)));
  EXPECT_EQ(WSTOPSIG(stopped(SIGSTOP)), SIGSTOP);
  EXPECT_TRUE(WIFCONTINUED(kContinued));
  EXPECT_EQ(exited(3), W_EXITCODE(3, 0));
  EXPECT_EQ(stopped(SIGUSR1), W_STOPCODE(SIGUSR1));
}

TEST(WaitStatus, Exited) {
  for (int code : {0, 1, 3, 127, 255}) {
    WaitStatus ws(exited(code));
    EXPECT_EQ(ws.kind(), WaitStatus::Kind::Exited) << code;
    EXPECT_EQ(ws.exit_code(), code);
    EXPECT_EQ(ws.ptrace_event(), 0);
    EXPECT_EQ(ws.describe(), "exited with " + std::to_string(code));
  }
  EXPECT_EQ(WaitStatus(exited(3)).raw(), 3 << 8);
}

TEST(WaitStatus, KilledWithAndWithoutCore) {
  WaitStatus core(killed(SIGSEGV, true));
  EXPECT_EQ(core.kind(), WaitStatus::Kind::Killed);
  EXPECT_EQ(core.term_signal(), SIGSEGV);
  EXPECT_TRUE(core.core_dumped());
  EXPECT_EQ(core.describe(), "killed by SIGSEGV (core dumped)");

  WaitStatus plain(killed(SIGKILL));
  EXPECT_EQ(plain.kind(), WaitStatus::Kind::Killed);
  EXPECT_EQ(plain.term_signal(), SIGKILL);
  EXPECT_FALSE(plain.core_dumped());
  EXPECT_EQ(plain.describe(), "killed by SIGKILL");
}

TEST(WaitStatus, SyscallStopIsSigtrapWithBit7) {
  WaitStatus ws(stopped(SIGTRAP | 0x80));
  EXPECT_EQ(ws.kind(), WaitStatus::Kind::SyscallStop);
  EXPECT_EQ(ws.stop_signal(), SIGTRAP);  // without the 0x80 marker
  EXPECT_EQ(ws.ptrace_event(), 0);
  EXPECT_EQ(ws.describe(), "syscall stop");
}

TEST(WaitStatus, PtraceEventStops) {
  for (int event : {PTRACE_EVENT_FORK, PTRACE_EVENT_VFORK, PTRACE_EVENT_CLONE, PTRACE_EVENT_EXEC,
                    PTRACE_EVENT_VFORK_DONE, PTRACE_EVENT_EXIT, PTRACE_EVENT_SECCOMP}) {
    WaitStatus ws(stopped(SIGTRAP, event));
    EXPECT_EQ(ws.kind(), WaitStatus::Kind::EventStop) << event;
    EXPECT_EQ(ws.ptrace_event(), event);
    EXPECT_EQ(ws.stop_signal(), SIGTRAP);
  }
  EXPECT_EQ(WaitStatus(stopped(SIGTRAP, PTRACE_EVENT_FORK)).describe(), "ptrace event 1 stop");
}

TEST(WaitStatus, EventStopWithAStoppingSignalIsGroupStop) {
  for (int sig : {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU}) {
    WaitStatus ws(stopped(sig, PTRACE_EVENT_STOP));
    EXPECT_EQ(ws.kind(), WaitStatus::Kind::GroupStop) << sig;
    EXPECT_EQ(ws.stop_signal(), sig);
    EXPECT_EQ(ws.ptrace_event(), PTRACE_EVENT_STOP);
  }
  EXPECT_EQ(WaitStatus(stopped(SIGSTOP, PTRACE_EVENT_STOP)).describe(), "group-stop by SIGSTOP");
}

TEST(WaitStatus, EventStopWithSigtrapIsInterrupt) {
  WaitStatus ws(stopped(SIGTRAP, PTRACE_EVENT_STOP));
  EXPECT_EQ(ws.kind(), WaitStatus::Kind::InterruptStop);
  EXPECT_EQ(ws.stop_signal(), SIGTRAP);
  EXPECT_EQ(ws.describe(), "interrupt stop");
}

TEST(WaitStatus, PlainSignalStops) {
  for (int sig : {SIGUSR1, SIGSEGV, SIGTRAP, SIGSTOP, SIGCHLD, SIGRTMIN}) {
    WaitStatus ws(stopped(sig));
    EXPECT_EQ(ws.kind(), WaitStatus::Kind::SignalStop) << sig;
    EXPECT_EQ(ws.stop_signal(), sig);
    EXPECT_EQ(ws.ptrace_event(), 0);
  }
  EXPECT_EQ(WaitStatus(stopped(SIGUSR1)).describe(), "signal-delivery-stop of SIGUSR1");
}

TEST(WaitStatus, Continued) {
  WaitStatus ws(kContinued);
  EXPECT_EQ(ws.kind(), WaitStatus::Kind::Continued);
  EXPECT_EQ(ws.ptrace_event(), 0);
  EXPECT_EQ(ws.describe(), "continued");
}

TEST(SignalName, ClassicSignals) {
  EXPECT_EQ(signal_name(SIGHUP), "SIGHUP");
  EXPECT_EQ(signal_name(SIGINT), "SIGINT");
  EXPECT_EQ(signal_name(SIGABRT), "SIGABRT");
  EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
  EXPECT_EQ(signal_name(SIGSEGV), "SIGSEGV");
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(SIGCHLD), "SIGCHLD");
  EXPECT_EQ(signal_name(SIGSTOP), "SIGSTOP");
  EXPECT_EQ(signal_name(SIGSYS), "SIGSYS");
}

TEST(SignalName, RealTimeSignalsCountFromTheKernelsSigrtmin) {
  EXPECT_EQ(signal_name(32), "SIGRTMIN");
  EXPECT_EQ(signal_name(33), "SIGRT_1");
  EXPECT_EQ(signal_name(34), "SIGRT_2");
  EXPECT_EQ(signal_name(64), "SIGRT_32");
}

TEST(SignalName, OutOfRange) {
  EXPECT_EQ(signal_name(0), "signal 0");
  EXPECT_EQ(signal_name(65), "signal 65");
  EXPECT_EQ(signal_name(99), "signal 99");
  EXPECT_EQ(signal_name(-1), "signal -1");
}

}  // namespace
}  // namespace ptk
