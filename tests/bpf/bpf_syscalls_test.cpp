// The eBPF backend's syscall records: registers, the chunks of user memory the plans ask for,
// the kernel-side filter, loss accounting, and attach errors.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "bpf_test_util.h"

namespace ptk_bpf_test {
namespace {

using ptk::bpf::BackendOptions;

BackendOptions with_plans(const std::vector<ptk_cap_plan>& plans) {
  BackendOptions options;
  options.ring_bytes = std::size_t{16} << 20;
  options.plans = plans;
  return options;
}

TEST(BpfSyscalls, ExecveEntryCarriesPathArgvAndEnvp) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  std::string path = tracee("exit_with");
  auto run = trace_command({path, "exit", "3"}, with_plans(plans));
  ASSERT_FALSE(run.records.empty());
  // The first record is the command's execve: nothing of ptk's wait before it.
  const Record& first = run.records.front();
  ASSERT_TRUE(first.is_syscall(PTK_EV_SYSCALL_ENTRY, kExecve)) << first.h.type;
  EXPECT_EQ(first.h.tid, static_cast<std::uint32_t>(run.pid));
  EXPECT_EQ(first.h.abi, kHostAbi);
  ASSERT_EQ(first.chunks.size(), 6u);  // path, argv[], 3 strings, envp[]
  EXPECT_EQ(first.chunks[0].addr, first.sc.args[0]);
  EXPECT_EQ(first.chunks[0].bytes, path + std::string(1, '\0'));
  EXPECT_EQ(first.chunks[1].addr, first.sc.args[1]);
  EXPECT_EQ(first.chunks[1].bytes.size(), 4 * 8u);  // three pointers and the NULL
  EXPECT_EQ(first.chunks[2].bytes, path + std::string(1, '\0'));
  EXPECT_EQ(first.chunks[3].bytes, std::string("exit", 5));
  EXPECT_EQ(first.chunks[4].bytes, std::string("3", 2));
  EXPECT_EQ(first.chunks[5].addr, first.sc.args[2]);
  EXPECT_EQ(first.chunks[5].bytes.size(), 3 * 8u);  // two variables and the NULL
  // Its exit carries the entry's registers and 0.
  auto exits = run.of(PTK_EV_SYSCALL_EXIT, kExecve);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0]->sc.ret, 0);
  EXPECT_EQ(exits[0]->sc.args[1], first.sc.args[1]);
  ASSERT_TRUE(run.result.status.has_value());
  EXPECT_TRUE(WIFEXITED(*run.result.status) && WEXITSTATUS(*run.result.status) == 3);
  EXPECT_EQ(run.result.lost, 0u);
}

TEST(BpfSyscalls, OpenatPathAndReadBufferOfRetBytes) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  auto run = trace_command({tracee("exit_with"), "exit", "0"}, with_plans(plans));
  bool saw_cache = false;
  for (const Record* r : run.of(PTK_EV_SYSCALL_ENTRY, kOpenat)) {
    ASSERT_EQ(r->chunks.size(), 1u);
    EXPECT_EQ(r->chunks[0].addr, r->sc.args[1]);
    if (r->chunks[0].bytes == std::string("/etc/ld.so.cache", 17)) saw_cache = true;
  }
  EXPECT_TRUE(saw_cache) << "the dynamic loader's openat of /etc/ld.so.cache";
  auto reads = run.of(PTK_EV_SYSCALL_EXIT, kRead);
  ASSERT_FALSE(reads.empty());
  bool saw_elf = false;
  for (const Record* r : reads) {
    if (r->sc.ret <= 0) {
      EXPECT_TRUE(r->chunks.empty());
      continue;
    }
    ASSERT_EQ(r->chunks.size(), 1u);
    EXPECT_EQ(r->chunks[0].addr, r->sc.args[1]);
    EXPECT_EQ(r->chunks[0].bytes.size(), static_cast<std::size_t>(r->sc.ret));
    if (r->chunks[0].bytes.rfind("\x7f"
                                 "ELF",
                                 0) == 0)
      saw_elf = true;
  }
  EXPECT_TRUE(saw_elf) << "the loader reads libc's ELF header";
  // Entries only carry entry items: no read buffer before the kernel filled it.
  for (const Record* r : run.of(PTK_EV_SYSCALL_ENTRY, kRead)) EXPECT_TRUE(r->chunks.empty());
}

TEST(BpfSyscalls, OnlyPlansWithTraceAreReported) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = bare_plans(false);
  host_plan(plans, kExitGroup).flags = PTK_PLAN_TRACE;
  host_plan(plans, kExecve).flags = PTK_PLAN_TRACE;
  // The same with function hooks on these two syscalls, or with the tracepoints they fall back
  // to where the kernel refuses fentry programs.
  for (bool hooks : {false, true}) {
    SCOPED_TRACE(hooks ? "function hooks asked for" : "tracepoints");
    BackendOptions options = with_plans(plans);
    options.function_hooks = hooks;
    auto run = trace_command({tracee("exit_with"), "exit", "4"}, options);
    std::vector<long> seen;
    for (const Record& r : run.records) {
      if (r.h.type == PTK_EV_SYSCALL_ENTRY || r.h.type == PTK_EV_SYSCALL_EXIT)
        seen.push_back(r.sc.nr);
    }
    // execve's entry and exit, exit_group's entry (it does not return).
    EXPECT_EQ(seen, (std::vector<long>{kExecve, kExecve, kExitGroup}));
    auto exits = run.of(PTK_EV_EXIT);
    ASSERT_EQ(exits.size(), 1u);
    EXPECT_EQ(exits[0]->exit.status, 4 << 8);
    EXPECT_EQ(exits[0]->exit.flags, static_cast<std::uint32_t>(PTK_EXIT_GROUP_DEAD));
  }
}

TEST(BpfSyscalls, FullRingCountsLostRecordsAndSaysWhere) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  BackendOptions options = with_plans(plans);
  options.ring_bytes = 4096;  // one page: the loader's syscalls alone overflow it
  auto run = trace_command({tracee("exit_with"), "exit", "0"}, options, /*wait_first=*/true);
  ASSERT_GT(run.result.lost, 0u);
  ASSERT_FALSE(run.records.empty());
  // Nothing was read before the tracee ended: the loss is reported before the first record.
  EXPECT_EQ(run.records.front().h.type, PTK_EV_LOST);
  std::uint64_t reported = 0;
  for (const Record* r : run.of(PTK_EV_LOST)) reported += r->lost.count;
  EXPECT_EQ(reported, run.result.lost);
  ASSERT_TRUE(run.result.status.has_value());
  EXPECT_EQ(*run.result.status, 0);
}

TEST(BpfSyscalls, FailedExecIsRecordedWithItsError) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  // A file that exists but cannot be executed: PATH search finds no such problem beforehand.
  auto run = trace_command({std::string(PTK_SOURCE_DIR) + "/README.md"}, with_plans(plans));
  EXPECT_EQ(run.exec_errno, EACCES);
  auto exits = run.of(PTK_EV_SYSCALL_EXIT, kExecve);
  ASSERT_EQ(exits.size(), 1u);
  EXPECT_EQ(exits[0]->sc.ret, -EACCES);
  ASSERT_TRUE(run.result.status.has_value());
  EXPECT_TRUE(WIFEXITED(*run.result.status) && WEXITSTATUS(*run.result.status) == 127);
}

TEST(BpfSyscalls, AttachingToAMissingPidIsOneClearError) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  auto backend = ptk::bpf::Backend::open(with_plans(plans));
  ASSERT_TRUE(backend.ok()) << backend.error().message();
  auto ok = backend.value()->attach({0x3ffffff0});
  ASSERT_FALSE(ok.ok());
  EXPECT_EQ(ok.error().kind(), ptk::ErrorKind::NoSuchProcess);
  EXPECT_EQ(ok.error().message(), "attaching to 1073741808: No such process");
  EXPECT_EQ(backend.value()->live_threads(), 0);
}

}  // namespace
}  // namespace ptk_bpf_test

namespace ptk_bpf_test {
namespace {

TEST(BpfSyscalls, AttachTracesARunningProcessFromItsNextSyscall) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  pid_t child = ::fork();
  if (child == 0) {
    char c;
    ::close(go[1]);
    if (::read(go[0], &c, 1) != 1) _exit(1);
    ::syscall(SYS_getpid);
    ::syscall(SYS_exit_group, 9);  // not _exit, which a sanitizer's runtime wraps in syscalls
  }
  ::close(go[0]);
  auto backend = ptk::bpf::Backend::open(with_plans(plans));
  ASSERT_TRUE(backend.ok()) << backend.error().message();
  ASSERT_TRUE(backend.value()->attach({child}).ok());
  ASSERT_EQ(::write(go[1], "g", 1), 1);
  ::close(go[1]);
  std::vector<Record> records;
  std::atomic<bool> stop{false};
  auto result = backend.value()->run(
      [&](std::span<const std::byte> bytes) { records.push_back(parse(bytes)); }, stop);
  ASSERT_TRUE(result.ok()) << result.error().message();
  EXPECT_FALSE(result->status.has_value());  // not ptk's child: the caller reaps it
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 9);
  // The read it was blocked in had no recorded entry: its exit is not reported.
  std::vector<std::pair<int, long>> seen;
  for (const Record& r : records) {
    EXPECT_EQ(r.h.tid, static_cast<std::uint32_t>(child));
    if (r.h.type == PTK_EV_SYSCALL_ENTRY || r.h.type == PTK_EV_SYSCALL_EXIT) {
      seen.emplace_back(r.h.type, r.sc.nr);
    }
  }
  EXPECT_EQ(seen, (std::vector<std::pair<int, long>>{{PTK_EV_SYSCALL_ENTRY, kGetpid},
                                                     {PTK_EV_SYSCALL_EXIT, kGetpid},
                                                     {PTK_EV_SYSCALL_ENTRY, kExitGroup}}));
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().h.type, PTK_EV_EXIT);
  EXPECT_EQ(records.back().exit.status, 9 << 8);
}

}  // namespace
}  // namespace ptk_bpf_test

namespace ptk_bpf_test {
namespace {

TEST(BpfSyscalls, AnEntryItemNotFaultedInIsReadAgainAtTheExit) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = test_plans();
  auto run = trace_command({tracee("unfaulted_write")}, with_plans(plans));
  const Record* entry = nullptr;
  for (const Record* r : run.of(PTK_EV_SYSCALL_ENTRY, kWrite)) {
    if (r->sc.args[2] == 16) entry = r;
  }
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->sc.flags, PTK_SC_RETRY_AT_EXIT);
  EXPECT_TRUE(entry->chunks.empty());
  const Record* exit = nullptr;
  for (const Record* r : run.of(PTK_EV_SYSCALL_EXIT, kWrite)) {
    if (r->sc.args[2] == 16) exit = r;
  }
  ASSERT_NE(exit, nullptr);
  EXPECT_EQ(exit->sc.ret, 16);
  ASSERT_EQ(exit->chunks.size(), 1u);
  EXPECT_EQ(exit->chunks[0].addr, entry->sc.args[1]);
  EXPECT_EQ(exit->chunks[0].bytes, std::string(16, '\0'));
}

TEST(BpfSyscalls, StackPointerItemsCopyFromTheUserStack) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = bare_plans();
  add_item(plans, kExitGroup,
           item(PTK_CAP_BUF, PTK_ARG_SP, PTK_AT_ENTRY, 64, PTK_LEN_CONST, 0, 64));
  auto run = trace_command({tracee("exit_with"), "exit", "0"}, with_plans(plans));
  auto entries = run.of(PTK_EV_SYSCALL_ENTRY, kExitGroup);
  ASSERT_EQ(entries.size(), 1u);
  ASSERT_EQ(entries[0]->chunks.size(), 1u);
  EXPECT_EQ(entries[0]->chunks[0].addr, entries[0]->sc.sp);
  EXPECT_EQ(entries[0]->chunks[0].bytes.size(), 64u);
}

}  // namespace
}  // namespace ptk_bpf_test
