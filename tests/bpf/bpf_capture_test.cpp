// The nested captures of the real capture plans (capture_plan.h): msghdr and mmsghdr with their
// iovecs and control data, in the host's ABI and i386's; 32-bit argv arrays; -k's user stacks.
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <string>

#include "../integration/host_skip.h"
#include "../integration/serial_ebpf.h"
#include "bpf_test_util.h"
#include "ptk/sys/capture_plan.h"
#include "ptk/sys/decode.h"
#include "ptk/sys/filter.h"

namespace ptk_bpf_test {
namespace {

constexpr int kSendmsg = SYS_sendmsg;
constexpr int kSendmmsg = SYS_sendmmsg;
constexpr int kExecve32 = 11;
constexpr int kSendmmsg32 = 345;

struct RealPlans {
  ptk::sys::SyscallFilter filter;
  ptk::sys::CapturePlans plans = ptk::sys::CapturePlans::build(filter, ptk::sys::DecodeOptions{});

  ptk::bpf::BackendOptions options(bool follow = false) const {
    ptk::bpf::BackendOptions o;
    o.ring_bytes = std::size_t{16} << 20;
    o.follow_forks = follow;
    o.plans = plans.table();
    return o;
  }
};

// The first syscall record of this type, ABI and number whose first chunk is `first_len` bytes.
const Record* find(const RunOutcome& run, int type, int abi, long nr, std::size_t first_len) {
  for (const Record* r : run.of(type, nr)) {
    if (r->h.abi == abi && !r->chunks.empty() && r->chunks[0].bytes.size() == first_len) return r;
  }
  return nullptr;
}

TEST(BpfCapture, MsghdrWithItsIovecsAndControlData) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  RealPlans plans;
  auto run = trace_command({tracee("network_calls")}, plans.options());
  const Record* r = find(run, PTK_EV_SYSCALL_ENTRY, kHostAbi, kSendmsg, 56);
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->chunks.size(), 5u);  // msghdr, iovec[2], "abc", "defgh", control
  EXPECT_EQ(r->chunks[0].addr, r->sc.args[1]);
  EXPECT_EQ(r->chunks[1].bytes.size(), 2 * 16u);
  EXPECT_EQ(r->chunks[2].bytes, "abc");
  EXPECT_EQ(r->chunks[3].bytes, "defgh");
  EXPECT_EQ(r->chunks[4].bytes.size(), 24u);  // CMSG_SPACE(2 * sizeof(int))
}

TEST(BpfCapture, MmsghdrArrayWithEachMessagesIovec) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  RealPlans plans;
  auto run = trace_command({tracee("network_calls")}, plans.options());
  const Record* r = find(run, PTK_EV_SYSCALL_ENTRY, kHostAbi, kSendmmsg, 2 * 64);
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->chunks.size(), 5u);  // mmsghdr[2], then per message its iovec[1] and bytes
  EXPECT_EQ(r->chunks[1].bytes.size(), 16u);
  EXPECT_EQ(r->chunks[2].bytes, "one");
  EXPECT_EQ(r->chunks[3].bytes.size(), 16u);
  EXPECT_EQ(r->chunks[4].bytes, "two!");
}

TEST(BpfCapture, I386MmsghdrHasThe32BitLayout) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  PTK_REQUIRE_HOST(ptk::HostCapability::I386Programs);
  ptk_test::SerialEbpfTest serial;  // the VM lane runs it
  RealPlans plans;
  // (i386's sendmsg goes through socketcall; sendmmsg has its own number.)
  auto run = trace_command({std::string(PTK_TRACEE_DIR) + "/network_calls_32"}, plans.options());
  const Record* r = find(run, PTK_EV_SYSCALL_ENTRY, PTK_ABI_I386, kSendmmsg32, 2 * 32);
  ASSERT_NE(r, nullptr) << "no i386 sendmmsg with two 32-byte mmsghdrs";
  ASSERT_EQ(r->chunks.size(), 5u);
  EXPECT_LT(r->sc.args[1], std::uint64_t{1} << 32);
  EXPECT_EQ(r->chunks[1].bytes.size(), 8u);  // one 32-bit iovec
  EXPECT_EQ(r->chunks[2].bytes, "one");
  EXPECT_EQ(r->chunks[3].bytes.size(), 8u);
  EXPECT_EQ(r->chunks[4].bytes, "two!");
}

TEST(BpfCapture, I386ExecveArgvHas32BitPointers) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  PTK_REQUIRE_HOST(ptk::HostCapability::I386Programs);
  ptk_test::SerialEbpfTest serial;  // the VM lane runs it
  RealPlans plans;
  std::string target = std::string(PTK_TRACEE_DIR) + "/exit_with_32";
  auto run = trace_command({std::string(PTK_TRACEE_DIR) + "/exec_thread_32", target, "exit", "2"},
                           plans.options(/*follow=*/true));
  const Record* r = nullptr;
  for (const Record* e : run.of(PTK_EV_SYSCALL_ENTRY, kExecve32)) {
    if (e->h.abi == PTK_ABI_I386) r = e;
  }
  ASSERT_NE(r, nullptr);
  ASSERT_GE(r->chunks.size(), 5u);  // path, argv[] (3 + NULL), its strings, ...
  EXPECT_EQ(r->chunks[0].bytes, target + std::string(1, '\0'));
  EXPECT_EQ(r->chunks[1].addr, r->sc.args[1]);
  EXPECT_EQ(r->chunks[1].bytes.size(), 4 * 4u);
  EXPECT_EQ(r->chunks[0].addr, r->sc.args[0]);
  // argv's strings are bounded like any string (-s 32, one more byte tells "...").
  EXPECT_EQ(r->chunks[2].bytes, target.substr(0, 33));
  EXPECT_EQ(r->chunks[3].bytes, std::string("exit", 5));
  EXPECT_EQ(r->chunks[4].bytes, std::string("2", 2));
  ASSERT_TRUE(run.result.status.has_value());
  EXPECT_TRUE(WIFEXITED(*run.result.status) && WEXITSTATUS(*run.result.status) == 2);
}

TEST(BpfCapture, UserStacksOnEntriesOnly) {
  PTK_BPF_SKIP_UNLESS_PERMITTED();
  auto plans = bare_plans();
  ptk::bpf::BackendOptions options;
  options.plans = plans;
  options.user_stacks = true;
  auto run = trace_command({tracee("exit_with"), "exit", "0"}, options);
  auto entries = run.of(PTK_EV_SYSCALL_ENTRY, kExitGroup);
  ASSERT_EQ(entries.size(), 1u);
  ASSERT_EQ(entries[0]->chunks.size(), 1u);
  const Chunk& stack = entries[0]->chunks[0];
  EXPECT_EQ(stack.flags, static_cast<std::uint32_t>(PTK_CHUNK_USER_STACK));
  EXPECT_EQ(stack.addr, 0u);
  // At least the return address into libc's _exit (libc has no frame pointers to go further).
  ASSERT_GE(stack.bytes.size(), 8u);
  EXPECT_EQ(stack.bytes.size() % 8, 0u);
  for (const Record* r : run.of(PTK_EV_SYSCALL_EXIT)) EXPECT_TRUE(r->chunks.empty());
}

}  // namespace
}  // namespace ptk_bpf_test
