// The Replayer: raw records (raw_event.h) decoded from their captured chunks and handed to a
// sink as a ptrace trace's stops are; and the capture plans that say what to capture.
#include <gtest/gtest.h>
#include <signal.h>

#include <cstring>
#include <regex>
#include <string>
#include <vector>

#include "ptk/arch/syscalls.h"
#include "ptk/sys/capture_plan.h"
#include "ptk/sys/raw_event.h"
#include "ptk/sys/render.h"
#include "ptk/sys/replay.h"
#include "x86_host.h"

namespace ptk::sys {
namespace {

// Builds one syscall record with its chunks, as the eBPF program lays them out.
class SyscallRecord {
 public:
  SyscallRecord(bool exit, const char* name, std::array<std::uint64_t, 6> args, pid_t tid = 100,
                std::int64_t ret = 0) {
    const SyscallSpec* spec = find_syscall(Arch::X86_64, name);
    EXPECT_NE(spec, nullptr) << name;
    ptk_ev_syscall sc{};
    sc.h.type = exit ? PTK_EV_SYSCALL_EXIT : PTK_EV_SYSCALL_ENTRY;
    sc.h.abi = PTK_ABI_X86_64;
    sc.h.tid = static_cast<__u32>(tid);
    sc.h.pid = static_cast<__u32>(tid);
    sc.h.time_ns = 1000;
    sc.nr = spec != nullptr ? spec->nr : -1;
    std::memcpy(sc.args, args.data(), sizeof sc.args);
    sc.ret = ret;
    bytes_.resize(sizeof sc);
    std::memcpy(bytes_.data(), &sc, sizeof sc);
  }

  SyscallRecord& chunk(std::uint64_t addr, std::string_view data, __u32 flags = 0) {
    ptk_ev_chunk c{addr, static_cast<__u32>(data.size()), flags};
    std::size_t at = bytes_.size();
    bytes_.resize(at + sizeof c + PTK_CHUNK_PAD(data.size()));
    std::memcpy(bytes_.data() + at, &c, sizeof c);
    std::memcpy(bytes_.data() + at + sizeof c, data.data(), data.size());
    auto* sc = reinterpret_cast<ptk_ev_syscall*>(bytes_.data());
    ++sc->nchunks;
    return *this;
  }

  std::span<const std::byte> bytes() {
    reinterpret_cast<ptk_ev_syscall*>(bytes_.data())->h.size = static_cast<__u32>(bytes_.size());
    return bytes_;
  }

 private:
  std::vector<std::byte> bytes_;
};

template <typename T>
std::span<const std::byte> record_of(T& rec, __u16 type, pid_t tid = 100) {
  rec.h.size = sizeof rec;
  rec.h.type = type;
  rec.h.tid = static_cast<__u32>(tid);
  rec.h.pid = static_cast<__u32>(tid);
  return std::as_bytes(std::span(&rec, 1));
}

// Renders what the replayer hands on, one string per sink call.
class LineSink : public TraceSink {
 public:
  void syscall_entry(DecodedSyscall&) override {}
  void syscall_exit(DecodedSyscall& sc) override {
    std::string out;
    TextOptions text;
    text.acolumn = 0;
    render_line(sc, text, out);
    lines.push_back(std::regex_replace(out, std::regex(" +="), " ="));
    entry_ns.push_back(sc.entry_ns);
  }
  void signal(const Event& ev) override {
    lines.push_back("signal " + std::to_string(ev.signal) + " code " +
                    std::to_string(ev.siginfo.si_code));
  }
  void thread_gone(const Event& ev, DecodedSyscall* pending) override {
    lines.push_back(std::string(ev.kind == EventKind::Killed ? "killed " : "exited ") +
                    std::to_string(ev.kind == EventKind::Killed ? ev.signal : ev.exit_code) +
                    (pending != nullptr ? " pending " + std::string(pending->name()) : ""));
  }
  void exec(const Event& ev) override {
    lines.push_back("exec " + std::to_string(ev.old_tid) + " -> " + std::to_string(ev.tid));
  }
  void lost(std::uint64_t count) override { lines.push_back("lost " + std::to_string(count)); }

  std::vector<std::string> lines;
  std::vector<std::int64_t> entry_ns;
};

TEST(Replay, DecodesAPathAndAnExitBufferFromTheirChunks) {
  LineSink sink;
  Replayer replay({}, sink);
  replay.set_clock_offset(5'000);
  std::string path("/etc/passwd\0", 12);
  ASSERT_TRUE(replay
                  .feed(SyscallRecord(false, "openat", {~99ull, 0x1000, 0, 0, 0, 0})
                            .chunk(0x1000, path)
                            .bytes())
                  .ok());
  ASSERT_TRUE(
      replay.feed(SyscallRecord(true, "openat", {~99ull, 0x1000, 0, 0, 0, 0}, 100, 3).bytes())
          .ok());
  // read(3, buf, 100) = 5: the buffer is what the exit captured.
  ASSERT_TRUE(replay.feed(SyscallRecord(false, "read", {3, 0x2000, 100, 0, 0, 0}).bytes()).ok());
  ASSERT_TRUE(replay
                  .feed(SyscallRecord(true, "read", {3, 0x2000, 100, 0, 0, 0}, 100, 5)
                            .chunk(0x2000, "root:")
                            .bytes())
                  .ok());
  ASSERT_EQ(sink.lines.size(), 2u);
  EXPECT_EQ(sink.lines[0], "openat(AT_FDCWD, \"/etc/passwd\", O_RDONLY) = 3");
  EXPECT_EQ(sink.lines[1], "read(3, \"root:\", 100) = 5");
  EXPECT_EQ(sink.entry_ns[0], 6'000);  // monotonic 1000 + the offset
}

TEST(Replay, MemoryNoChunkHoldsPrintsAsAnAddress) {
  LineSink sink;
  Replayer replay({}, sink);
  ASSERT_TRUE(replay.feed(SyscallRecord(false, "unlink", {0x5000, 0, 0, 0, 0, 0}).bytes()).ok());
  ASSERT_TRUE(
      replay.feed(SyscallRecord(true, "unlink", {0x5000, 0, 0, 0, 0, 0}, 100, -2).bytes()).ok());
  ASSERT_EQ(sink.lines.size(), 1u);
  EXPECT_EQ(sink.lines[0], "unlink(0x5000) = -1 ENOENT (No such file or directory)");
}

TEST(Replay, ArgvFromAStringArrayChunk) {
  LineSink sink;
  Replayer replay({}, sink);
  // argv at 0x3000: two pointers and NULL; the strings at 0x4000 and 0x4010; envp a count.
  std::uint64_t argv[3] = {0x4000, 0x4010, 0};
  std::uint64_t envp[2] = {0x4020, 0};
  std::string a(reinterpret_cast<const char*>(argv), sizeof argv);
  std::string e(reinterpret_cast<const char*>(envp), sizeof envp);
  ASSERT_TRUE(replay
                  .feed(SyscallRecord(false, "execve", {0x4000, 0x3000, 0x3100, 0, 0, 0})
                            .chunk(0x3000, a)
                            .chunk(0x4000, std::string("/bin/ls\0", 8))
                            .chunk(0x4010, std::string("-l\0", 3))
                            .chunk(0x3100, e)
                            .bytes())
                  .ok());
  ASSERT_TRUE(
      replay.feed(SyscallRecord(true, "execve", {0x4000, 0x3000, 0x3100, 0, 0, 0}).bytes()).ok());
  ASSERT_EQ(sink.lines.size(), 1u);
  EXPECT_EQ(sink.lines[0], "execve(\"/bin/ls\", [\"/bin/ls\", \"-l\"], 0x3100 /* 1 var */) = 0");
}

TEST(Replay, SignalsExitsExecAndLoss) {
  LineSink sink;
  Replayer replay({}, sink);
  ptk_ev_signal sig{};
  sig.sig = SIGCHLD;
  siginfo_t si{};
  si.si_signo = SIGCHLD;
  si.si_code = CLD_EXITED;
  std::memcpy(sig.siginfo, &si, sizeof si);
  ASSERT_TRUE(replay.feed(record_of(sig, PTK_EV_SIGNAL)).ok());
  ptk_ev_lost lost{};
  lost.count = 7;
  ASSERT_TRUE(replay.feed(record_of(lost, PTK_EV_LOST, 0)).ok());
  // A non-leader thread (101) execs while in execve: it goes on as 100, its call with it.
  ASSERT_TRUE(replay.feed(SyscallRecord(false, "execve", {0, 0, 0, 0, 0, 0}, 101).bytes()).ok());
  ptk_ev_exec ex{};
  ex.old_tid = 101;
  ASSERT_TRUE(replay.feed(record_of(ex, PTK_EV_EXEC)).ok());
  ASSERT_TRUE(replay.feed(SyscallRecord(true, "execve", {0, 0, 0, 0, 0, 0}, 100).bytes()).ok());
  ASSERT_TRUE(replay.feed(SyscallRecord(false, "exit_group", {3, 0, 0, 0, 0, 0}).bytes()).ok());
  ptk_ev_exit gone{};
  gone.status = 3 << 8;
  ASSERT_TRUE(replay.feed(record_of(gone, PTK_EV_EXIT)).ok());
  ptk_ev_exit killed{};
  killed.status = SIGKILL;
  ASSERT_TRUE(replay.feed(record_of(killed, PTK_EV_EXIT, 102)).ok());
  EXPECT_EQ(replay.lost_events(), 7u);
  std::vector<std::string> want = {"signal 17 code 1",
                                   "lost 7",
                                   "exec 101 -> 100",
                                   "execve(NULL, NULL, NULL) = 0",
                                   "exited 3 pending exit_group",
                                   "killed 9"};
  EXPECT_EQ(sink.lines, want);
}

TEST(Replay, AnEntryItCouldNotReadYetWaitsForItsExit) {
  LineSink sink;
  Replayer replay({}, sink);
  // The path's page was not faulted in at entry: the exit record carries it.
  SyscallRecord entry(false, "openat", {~99ull, 0x1000, 0, 0, 0, 0});
  auto bytes = entry.bytes();
  std::vector<std::byte> flagged(bytes.begin(), bytes.end());
  reinterpret_cast<ptk_ev_syscall*>(flagged.data())->flags = PTK_SC_RETRY_AT_EXIT;
  ASSERT_TRUE(replay.feed(flagged).ok());
  EXPECT_TRUE(sink.lines.empty());
  std::string path("/etc/hosts\0", 11);
  ASSERT_TRUE(replay
                  .feed(SyscallRecord(true, "openat", {~99ull, 0x1000, 0, 0, 0, 0}, 100, 3)
                            .chunk(0x1000, path)
                            .bytes())
                  .ok());
  ASSERT_EQ(sink.lines.size(), 1u);
  EXPECT_EQ(sink.lines[0], "openat(AT_FDCWD, \"/etc/hosts\", O_RDONLY) = 3");
  // An entry whose exit never comes is handed on as it is when the thread is gone.
  ASSERT_TRUE(replay.feed(flagged).ok());
  ptk_ev_exit gone{};
  ASSERT_TRUE(replay.feed(record_of(gone, PTK_EV_EXIT)).ok());
  ASSERT_EQ(sink.lines.size(), 2u);
  EXPECT_EQ(sink.lines[1], "exited 0 pending openat");
}

TEST(Replay, RefusesMalformedRecordsWithAReason) {
  LineSink sink;
  Replayer replay({}, sink);
  std::vector<std::byte> tiny(8);
  auto s = replay.feed(tiny);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("shorter than a record header"), std::string::npos);
  // A chunk longer than its record.
  SyscallRecord rec(false, "openat", {0, 0x1000, 0, 0, 0, 0});
  rec.chunk(0x1000, "abc");
  auto bytes = rec.bytes();
  std::vector<std::byte> broken(bytes.begin(), bytes.end());
  __u32 huge = 4096;
  std::memcpy(broken.data() + sizeof(ptk_ev_syscall) + offsetof(ptk_ev_chunk, len), &huge, 4);
  s = replay.feed(broken);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message().find("ends past the record"), std::string::npos);
  // A size field that disagrees, an unknown type, an unknown ABI.
  auto* h = reinterpret_cast<ptk_ev_header*>(broken.data());
  h->size = 8;
  EXPECT_FALSE(replay.feed(broken).ok());
  h->size = static_cast<__u32>(broken.size());
  h->type = 99;
  EXPECT_FALSE(replay.feed(broken).ok());
  h->type = PTK_EV_SYSCALL_ENTRY;
  h->abi = 77;
  EXPECT_FALSE(replay.feed(broken).ok());
  EXPECT_TRUE(sink.lines.empty());
}

TEST(CapturePlans, FollowTheTableAndTheFilter) {
  PTK_REQUIRE_X86_HOST();
  auto filter = SyscallFilter::parse("read,execve");
  ASSERT_TRUE(filter.ok());
  DecodeOptions opts;
  opts.string_limit = 40;
  CapturePlans plans = CapturePlans::build(*filter, opts);
  ASSERT_EQ(plans.table().size(), std::size_t{PTK_PLAN_ABIS} * PTK_PLAN_NR_MAX);
  const ptk_cap_plan* read = plans.find(Arch::X86_64, 0);
  ASSERT_NE(read, nullptr);
  EXPECT_EQ(read->flags & PTK_PLAN_TRACE, PTK_PLAN_TRACE);
  ASSERT_EQ(read->nitems, 1);
  EXPECT_EQ(read->items[0].kind, PTK_CAP_BUF);
  EXPECT_EQ(read->items[0].when, PTK_AT_EXIT);
  EXPECT_EQ(read->items[0].len_rule, PTK_LEN_ARG);
  EXPECT_EQ(read->items[0].len_arg, 2);
  EXPECT_EQ(read->items[0].max, 41u);  // -s 40, and one more to know it was cut
  // write is not traced, but still has its plan (a later filter in user space may want it).
  const ptk_cap_plan* write = plans.find(Arch::X86_64, 1);
  EXPECT_EQ(write->flags & PTK_PLAN_TRACE, 0u);
  const ptk_cap_plan* execve = plans.find(Arch::I386, 11);
  ASSERT_NE(execve, nullptr);
  EXPECT_EQ(execve->flags & PTK_PLAN_TRACE, PTK_PLAN_TRACE);
  ASSERT_EQ(execve->nitems, 3);
  EXPECT_EQ(execve->items[0].kind, PTK_CAP_CSTR);
  EXPECT_EQ(execve->items[1].kind, PTK_CAP_STR_ARRAY);
  EXPECT_EQ(execve->items[2].kind, PTK_CAP_PTR_ARRAY);
  // readv's iovec array, its count in the next argument.
  const ptk_cap_plan* readv = plans.find(Arch::X86_64, find_syscall(Arch::X86_64, "readv")->nr);
  ASSERT_GE(readv->nitems, 1);
  EXPECT_EQ(readv->items[0].kind, PTK_CAP_IOVEC);
  EXPECT_EQ(readv->items[0].len_arg, 2);
  EXPECT_EQ(plans.find(Arch::X86_64, PTK_PLAN_NR_MAX), nullptr);
  // rt_sigreturn: the signal frame at the stack pointer.
  const ptk_cap_plan* sigreturn = plans.find(Arch::X86_64, 15);
  ASSERT_EQ(sigreturn->nitems, 1);
  EXPECT_EQ(sigreturn->items[0].arg, PTK_ARG_SP);
  EXPECT_EQ(sigreturn->items[0].flags, PTK_CAP_PAGE_OK);
}

}  // namespace
}  // namespace ptk::sys
