// `ptk trace` on the signal family (tests/tracees/signal_calls.c): sigaction, masks, alternate
// stacks, queued and pending signals, signalfd, the `--- SIG... {...} ---` lines of delivered
// signals with their sigreturn, and the legacy calls of i386; checked against fixed lines
// and, where strace is installed, against strace's own output (addresses and pids masked).

#include <fmt/ranges.h>

#include <fstream>
#include <map>
#include <regex>

#include "test_util.h"

namespace ptk_test {
namespace {

constexpr const char* kStrace = "/usr/bin/strace";
constexpr std::string_view kFrom = "rt_sigaction(SIGUSR1, {";
constexpr std::string_view kTo = "exit_group(";

// The tracee's own lines with addresses, alignment, pids and child times masked.
std::vector<std::string> section(const std::vector<std::string>& lines) {
  static const std::regex kAddr("0x[0-9a-f]{5,}(?![0-9a-f]| /\\* [A-Z_0-9]+\\?)");
  static const std::regex kPad(" +=");
  static const std::regex kPidRet(R"(^(clone|getpid)\(.*\) = (\d+)$)");
  static const std::regex kTimes(R"(((?:si_utime|si_stime)=)\d+( /\* [0-9.]+ s \*/)?)");
  std::vector<std::string> out;
  bool on = false;
  for (const std::string& l : lines) {
    if (!on && l.starts_with(kFrom)) on = true;
    if (!on) continue;
    if (l.starts_with(kTo)) break;
    out.push_back(std::regex_replace(std::regex_replace(l, kAddr, "0xADDR"), kPad, " ="));
  }
  std::map<std::string, std::string> pids;
  for (const std::string& l : out) {
    std::smatch sm;
    if (std::regex_match(l, sm, kPidRet) && !pids.contains(sm[2])) {
      pids[sm[2]] = fmt::format("<pid{}>", pids.size() + 1);
    }
  }
  for (std::string& l : out) {
    l = std::regex_replace(l, kTimes, "$1N");
    for (const auto& [pid, name] : pids) {
      l = std::regex_replace(l, std::regex("\\b" + pid + "\\b"), name);
    }
  }
  return out;
}

std::vector<std::string> trace_with(const std::string& tracer, std::vector<std::string> opts,
                                    const std::string& prog) {
  std::string out = fmt::format("/tmp/ptk-sig-{}-{}", ::getpid(), tracer == PTK_CLI);
  std::vector<std::string> argv = {tracer};
  if (tracer == PTK_CLI) argv.push_back("trace");
  argv.insert(argv.end(), {"-o", out});
  argv.insert(argv.end(), opts.begin(), opts.end());
  argv.insert(argv.end(), {"--", prog});
  CommandResult r = run_command(argv);
  EXPECT_TRUE(WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0)
      << tracer << ": " << describe_status(r.status) << "\n"
      << r.err;
  std::vector<std::string> lines = read_lines(out);
  ::unlink(out.c_str());
  return lines;
}

class TraceSignal : public ptk_test::BitsTest {
 protected:
  bool is64() const { return GetParam() == 64; }
  std::string prog() const { return tracee_path("signal_calls", GetParam()); }
};

TEST_P(TraceSignal, ExpectedLines) {
  std::string all;
  for (const std::string& l : section(trace_with(PTK_CLI, {}, prog()))) all += l + "\n";
    // glibc's i386 sigaction uses the vDSO's restorer instead of SA_RESTORER, and so does
    // aarch64's (the kernel returns from a handler through the vDSO's sigreturn there).
#if defined(__aarch64__)
  const bool sets_restorer = false;
  const std::string audit_arch = "AUDIT_ARCH_AARCH64";
#else
  const bool sets_restorer = is64();
  const std::string audit_arch = is64() ? "AUDIT_ARCH_X86_64" : "AUDIT_ARCH_I386";
#endif
  const std::string restorer = sets_restorer ? "SA_RESTORER|" : "";
  const std::string restorer_addr = sets_restorer ? ", sa_restorer=0xADDR" : "";
  const std::string sigreturn = is64() ? "rt_sigreturn" : "sigreturn";
  std::vector<std::string> expected = {
      "rt_sigaction(SIGUSR1, {sa_handler=0xADDR, sa_mask=[INT RT_2], sa_flags=" + restorer +
          "SA_RESTART" + restorer_addr + "}, {sa_handler=SIG_DFL, sa_mask=[], sa_flags=0}, 8) = 0",
      "rt_sigaction(SIGUSR2, {sa_handler=0xADDR, sa_mask=~[RTMIN RT_1], sa_flags=" + restorer +
          "SA_ONSTACK|SA_NODEFER|SA_SIGINFO" + restorer_addr + "}, ",
      "rt_sigaction(SIGPIPE, {sa_handler=SIG_IGN, sa_mask=[PIPE], ",
      "{sa_handler=SIG_IGN, sa_mask=[PIPE], sa_flags=" + restorer + "SA_RESTART" + restorer_addr +
          "}, 8) = 0",
      "rt_sigaction(SIGKILL, {",
      "}, NULL, 8) = -1 EINVAL",
      "rt_sigaction(SIGUSR1, 0x1, NULL, 8) = -1 EFAULT",
      "rt_sigaction(SIGUSR1, NULL, 0x1, 8) = -1 EFAULT",
      "rt_sigaction(100, NULL, NULL, 8) = -1 EINVAL",
      "rt_sigprocmask(SIG_BLOCK, [CHLD], [], 8) = 0",
      "rt_sigprocmask(SIG_UNBLOCK, [CHLD], NULL, 8) = 0",
      "rt_sigprocmask(SIG_SETMASK, ~[RTMIN RT_1], [], 8) = 0",
      "rt_sigprocmask(0x5 /* SIG_??? */, NULL, [], 8) = 0",
      "rt_sigprocmask(SIG_BLOCK, NULL, 0xADDR, 4) = -1 EINVAL",
      "rt_sigprocmask(SIG_BLOCK, NULL, 0x1, 8) = -1 EFAULT",
      "rt_sigprocmask(SIG_BLOCK, [HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM "
      "TERM STKFLT CHLD CONT STOP TSTP TTIN TTOU URG XCPU XFSZ VTALRM PROF WINCH IO PWR SYS RTMIN "
      "RT_1 RT_2 RT_3 RT_4 RT_5 RT_6 RT_7 RT_8 RT_9], NULL, 8) = 0",
      "rt_sigprocmask(SIG_BLOCK, ~[RT_11 RT_12 RT_13 RT_14 RT_15 RT_16 RT_17 RT_18 RT_19 RT_20 "
      "RT_21 RT_22 RT_23 RT_24 RT_25 RT_26 RT_27 RT_28 RT_29 RT_30 RT_31 RT_32], NULL, 8) = 0",
      "sigaltstack({ss_sp=0xADDR, ss_flags=0, ss_size=65536}, {ss_sp=NULL, ss_flags=SS_DISABLE, "
      "ss_size=0}) = 0",
      "sigaltstack(NULL, {ss_sp=0xADDR, ss_flags=0, ss_size=65536}) = 0",
      "sigaltstack({ss_sp=0xADDR, ss_flags=SS_DISABLE, ss_size=65536}, NULL) = 0",
      "sigaltstack({ss_sp=0xADDR, ss_flags=SS_ONSTACK|0xADDR, ss_size=65536}, NULL) = -1 EINVAL",
      "sigaltstack(0x1, NULL) = -1 EFAULT",
      "rt_sigprocmask(SIG_BLOCK, [USR1 RT_5], NULL, 8) = 0",
      "rt_sigpending([USR1], 8) = 0",
      "rt_sigpending(0xADDR, 9) = -1 EINVAL",
      "rt_sigtimedwait([USR1 RT_5], {si_signo=SIGUSR1, si_code=SI_USER, si_pid=<pid1>, si_uid=0}, "
      "{tv_sec=0, tv_nsec=1000}, 8) = 10 (SIGUSR1)",
      "rt_sigtimedwait([USR1 RT_5], NULL, {tv_sec=0, tv_nsec=1000}, 8) = -1 EAGAIN",
      "rt_sigqueueinfo(<pid1>, SIGRT_5, {si_signo=SIGRT_5, si_code=SI_QUEUE, si_pid=<pid1>, "
      "si_uid=0, si_int=42, si_ptr=0x2a}) = 0",
      "rt_sigtimedwait([USR1 RT_5], {si_signo=SIGRT_5, si_code=SI_QUEUE, si_pid=<pid1>, si_uid=0, "
      "si_int=42, si_ptr=0x2a}, NULL, 8) = 37 (SIGRT_5)",
      "rt_sigtimedwait([USR1 RT_5], {si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=<pid1>, si_uid=0}, "
      "NULL, 8) = 10 (SIGUSR1)",
      "rt_sigqueueinfo(<pid1>, SIGUSR1, 0x1) = -1 EFAULT",
      "signalfd4(-1, [USR1 RT_5], 8, SFD_CLOEXEC|SFD_NONBLOCK) = 3",
      "signalfd4(3, [USR1 RT_5], 8, 0) = 3",
      "signalfd4(-1, [USR1 RT_5], 8, 0x1234 /* SFD_??? */) = -1 EINVAL",
      "kill(<pid1>, SIGUSR1) = 0\n--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=<pid1>, "
      "si_uid=0} ---\n" +
          sigreturn + "({mask=[]}) = 0\n",
      "tgkill(<pid1>, <pid1>, SIGUSR1) = 0\n--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_TKILL, "
      "si_pid=<pid1>, si_uid=0} ---\n" +
          sigreturn + "({mask=[]}) = 0\n",
      "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_QUEUE, si_pid=<pid1>, si_uid=0, si_int=7, "
      "si_ptr=0x7} ---",
      "--- SIGSEGV {si_signo=SIGSEGV, si_code=SEGV_MAPERR, si_addr=0x8} ---",
      "wait4(<pid2>, NULL, 0, NULL) = <pid2>\nrt_sigprocmask(SIG_UNBLOCK, [CHLD], NULL, 8) = 0\n"
      "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=<pid2>, si_uid=0, si_status=3, "
      "si_utime=N, si_stime=N} ---",
      "rt_sigsuspend([], 8) = ? ERESTARTNOHAND (To be restarted if no handler)\n"
      "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=<pid1>, si_uid=0} ---\n" +
          sigreturn + "({mask=[USR1]}) = -1 EINTR",
      "prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, {len=4, filter=0xADDR}) = 0",
      "--- SIGSYS {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_errno=EIO, si_call_addr=0xADDR, "
      "si_syscall=__NR_getppid, si_arch=" +
          audit_arch + "} ---",
  };
  if (!is64()) {
    expected.insert(
        expected.end(),
        {
            "sigaction(SIGUSR2, {sa_handler=0xADDR, sa_mask=[INT], sa_flags=SA_RESTART}, "
            "{sa_handler=0xADDR, sa_mask=~[KILL STOP RTMIN], sa_flags=SA_ONSTACK|SA_NODEFER|"
            "SA_SIGINFO}) = 0",
            "sigaction(SIGUSR2, NULL, {sa_handler=0xADDR, sa_mask=[INT], sa_flags=SA_RESTART}) = 0",
            "signal(SIGUSR2, SIG_IGN) = 0xADDR\nsignal(SIGUSR2, SIG_DFL) = 0x1 (SIG_IGN)\n",
            "sigprocmask(SIG_BLOCK, [USR1], [USR1]) = 0",
            "sigprocmask(0x7 /* SIG_??? */, NULL, [USR1]) = 0",
            "sigpending([]) = 0",
            "sgetmask() = 0x200 (mask [USR1])",
            "ssetmask(~[]) = 0x200 (old mask [USR1])",
            "ssetmask([]) = 0xADDR (old mask ~[KILL STOP])",
            "sigsuspend([]) = ? ERESTARTNOHAND",
        });
  }
  for (const std::string& e : expected) EXPECT_TRUE(contains(all, e));
}

TEST_P(TraceSignal, MatchesStrace) {
  if (::access(kStrace, X_OK) != 0) GTEST_SKIP() << "strace is not installed";
  for (const std::vector<std::string>& opts : {std::vector<std::string>{}, {"-v"}}) {
    std::vector<std::string> ours = section(trace_with(PTK_CLI, opts, prog()));
    std::vector<std::string> theirs = section(trace_with(kStrace, opts, prog()));
    ASSERT_FALSE(theirs.empty());
    EXPECT_EQ(ours.size(), theirs.size());
    for (std::size_t i = 0; i < std::min(ours.size(), theirs.size()); ++i) {
      EXPECT_EQ(ours[i], theirs[i]) << "options: " << fmt::format("{}", fmt::join(opts, " "));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Abi, TraceSignal, ::testing::Values(64, 32),
                         [](const auto& info) { return fmt::format("bits{}", info.param); });

}  // namespace
}  // namespace ptk_test
