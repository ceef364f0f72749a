// Remote calls and shared objects through the library, on a thread blocked in read: results
// come back, and the registers, extended state, stack, code bytes, maps and signal mask are
// bit-identical after the restore; a fault in the callee is reported and the process runs on.
#include <signal.h>
#include <sys/mman.h>

#include <array>
#include <fstream>

#include "inject_util.h"
#include "ptk/debug/symbols.h"
#include "ptk/inject/remote_call.h"
#include "ptk/inject/remote_lib.h"

namespace ptk_test {
namespace {

using ptk::inject::CallArg;
using ptk::inject::RemoteSyscalls;

// The SigBlk line of /proc/PID/status: the signal mask.
std::string blocked_mask(pid_t tid) {
  auto status = ptk::read_proc_file(tid, fmt::format("task/{}/status", tid));
  if (!status.ok()) return "?";
  std::size_t at = status->find("SigBlk:");
  return at == std::string::npos ? "?" : status->substr(at, status->find('\n', at) - at);
}

std::string without_heap(const std::string& maps) {
  std::string out;
  std::size_t at = 0;
  while (at < maps.size()) {
    std::size_t end = maps.find('\n', at);
    if (end == std::string::npos) end = maps.size();
    std::string_view line(maps.data() + at, end - at);
    if (line.find("[heap]") == std::string_view::npos) out += std::string(line) + "\n";
    at = end + 1;
  }
  return out;
}

class InjectCallTest : public BlockedReaderTest {
 protected:
  void SetUp() override {
    BlockedReaderTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    wait_blocked_in(pid(), arch_of_bits(GetParam()), {"read"});
    ASSERT_TRUE(session_.attach(pid()).ok());
    auto symbols = ptk::debug::SymbolTable::load(pid(), &session_.memory(pid()));
    ASSERT_TRUE(symbols.ok()) << symbols.error().message();
    symbols_.emplace(std::move(symbols).value());
    auto regs = session_.get_regs(pid());
    ASSERT_TRUE(regs.ok());
    regs_before_ = *regs;
    auto xstate = session_.get_xstate(pid());
    ASSERT_TRUE(xstate.ok());
    xstate_before_ = *xstate;
    mem_before_ = snapshot(session_, pid(), regs_before_);
    mask_before_ = blocked_mask(pid());
  }

  pid_t pid() const { return child_->pid(); }
  std::uint64_t function(RemoteSyscalls& remote, std::string_view name) {
    auto fn = ptk::inject::find_function(remote, *symbols_, name);
    EXPECT_TRUE(fn.ok()) << fn.error().message();
    return fn.ok() ? *fn : 0;
  }
  ptk::inject::CallResult call(RemoteSyscalls& remote, std::string_view name,
                               std::vector<CallArg> args) {
    auto r = ptk::inject::remote_call(remote, function(remote, name), args);
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() ? *r : ptk::inject::CallResult{};
  }

  // Everything as before, detached, and the process still reads and ends normally.
  void expect_restored_and_unharmed() {
    auto after = session_.get_regs(pid());
    ASSERT_TRUE(after.ok());
    EXPECT_TRUE(same_registers(*after, regs_before_));
    auto xstate = session_.get_xstate(pid());
    ASSERT_TRUE(xstate.ok());
    EXPECT_TRUE(*xstate == xstate_before_) << "extended state differs";
    Snapshot now = snapshot(session_, pid(), *after);
    EXPECT_TRUE(now.stack == mem_before_.stack) << "stack differs";
    EXPECT_TRUE(now.code == mem_before_.code) << "code differs";
    // The maps, but for the heap: inject_blocked never allocates, and a callee that does
    // (printf's stdout buffer, setenv, dlopen) makes the heap, which stays as any allocation.
    EXPECT_EQ(without_heap(now.maps), without_heap(mem_before_.maps));
    EXPECT_EQ(blocked_mask(pid()), mask_before_);
    ASSERT_TRUE(session_.detach(pid()).ok());
    expect_unharmed();
  }

  ptk::Session session_{{.syscall_stops = ptk::SyscallStops::None}};
  std::optional<ptk::debug::SymbolTable> symbols_;
  ptk::Registers regs_before_;
  std::vector<std::byte> xstate_before_;
  Snapshot mem_before_;
  std::string mask_before_;
};

TEST_P(InjectCallTest, IntegerStringAndSixArgumentCalls) {
  {
    auto remote = RemoteSyscalls::open(session_, pid());
    ASSERT_TRUE(remote.ok()) << remote.error().message();
    auto pid_call = call(*remote, "getpid", {});
    EXPECT_TRUE(pid_call.returned);
    EXPECT_EQ(pid_call.signed_value, pid());
    auto len = call(*remote, "strlen", {CallArg::string("hello, world")});
    EXPECT_TRUE(len.returned);
    EXPECT_EQ(len.value, 12u);
    // Two strings, compared by the callee: both arrive, in order.
    auto cmp = call(*remote, "strcmp", {CallArg::string("abc"), CallArg::string("abd")});
    EXPECT_LT(static_cast<std::int32_t>(cmp.value), 0);  // an int: eax only
    // Six arguments, the last ones on the stack on i386 and in r8/r9 on x86_64.
    auto map =
        call(*remote, "mmap",
             {CallArg::integer(0), CallArg::integer(8192), CallArg::integer(PROT_READ | PROT_WRITE),
              CallArg::integer(MAP_PRIVATE | MAP_ANONYMOUS), CallArg::integer(~0ull),
              CallArg::integer(0)});
    ASSERT_TRUE(map.returned);
    ASSERT_NE(map.signed_value, -1);
    EXPECT_NE(ptk::read_proc_file(pid(), "maps").value_or("").find(fmt::format("{:x}-", map.value)),
              std::string::npos);
    auto unmap = call(*remote, "munmap", {CallArg::integer(map.value), CallArg::integer(8192)});
    EXPECT_EQ(unmap.signed_value, 0);
    // A variadic callee with a double conversion: it uses the vector registers (al = 0 says
    // none carry arguments) and faults on a misaligned stack (movaps).
    auto printed =
        call(*remote, "printf",
             {CallArg::string("%d %s\n"), CallArg::integer(42), CallArg::string("printed")});
    EXPECT_EQ(printed.signed_value, 11);
    auto flushed = call(*remote, "fflush", {CallArg::integer(0)});
    EXPECT_EQ(flushed.signed_value, 0);
    ASSERT_TRUE(remote->restore().ok());
  }
  EXPECT_EQ(child_->line(), "42 printed");
  expect_restored_and_unharmed();
}

TEST_P(InjectCallTest, SignalMaskChangedByTheCalleeIsPutBack) {
  {
    auto remote = RemoteSyscalls::open(session_, pid());
    ASSERT_TRUE(remote.ok());
    // sighold blocks SIGUSR1 in the thread (glibc keeps the System V call).
    auto held = call(*remote, "sighold", {CallArg::integer(SIGUSR1)});
    EXPECT_TRUE(held.returned);
    EXPECT_EQ(held.signed_value, 0);
    ASSERT_TRUE(remote->restore().ok());
  }
  expect_restored_and_unharmed();
}

TEST_P(InjectCallTest, FaultInTheCalleeIsReportedAndUndone) {
  {
    auto remote = RemoteSyscalls::open(session_, pid());
    ASSERT_TRUE(remote.ok());
    auto crashed = call(*remote, "strlen", {CallArg::integer(0)});
    EXPECT_FALSE(crashed.returned);
    EXPECT_EQ(crashed.stop.signal, SIGSEGV);
    EXPECT_EQ(crashed.stop.address, 0u);
    // The scope still works after a fault.
    auto len = call(*remote, "strlen", {CallArg::string("abc")});
    EXPECT_EQ(len.value, 3u);
    ASSERT_TRUE(remote->restore().ok());
  }
  expect_restored_and_unharmed();
}

TEST_P(InjectCallTest, LibraryLoadRunsConstructorAndUnloadRemovesIt) {
  TempFile marker("marker");
  // The marker path reaches the constructor through the environment the target already has:
  // setenv in the target, by a remote call.
  std::string lib = tracee_path("inject_marker", GetParam()) + ".so";
  {
    auto remote = RemoteSyscalls::open(session_, pid());
    ASSERT_TRUE(remote.ok());
    auto set = call(*remote, "setenv",
                    {CallArg::string("PTK_INJECT_MARKER"), CallArg::string(marker.path()),
                     CallArg::integer(1)});
    EXPECT_EQ(set.signed_value, 0);
    auto dl = ptk::inject::find_dl_functions(*symbols_);
    ASSERT_TRUE(dl.ok()) << dl.error().message();
    auto loaded = ptk::inject::load_library(*remote, *dl, lib);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message();
    EXPECT_TRUE(loaded->ok) << loaded->error;
    EXPECT_NE(ptk::read_proc_file(pid(), "maps").value_or("").find(lib), std::string::npos);
    auto unloaded = ptk::inject::unload_library(*remote, *dl, lib);
    ASSERT_TRUE(unloaded.ok()) << unloaded.error().message();
    EXPECT_TRUE(unloaded->ok) << unloaded->error;
    EXPECT_EQ(unloaded->handle, loaded->handle);
    // Unloading again: not loaded any more.
    auto again = ptk::inject::unload_library(*remote, *dl, lib);
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(again->ok);
    EXPECT_TRUE(contains(again->error, "is not loaded"));
    auto missing = ptk::inject::load_library(*remote, *dl, "/nonexistent/libnothing.so");
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(missing->ok);
    EXPECT_TRUE(contains(missing->error, "No such file or directory"));
    auto bad = ptk::inject::load_library(*remote, *dl,
                                         tracee_path("inject_unresolved", GetParam()) + ".so");
    ASSERT_TRUE(bad.ok());
    EXPECT_FALSE(bad->ok);
    EXPECT_TRUE(contains(bad->error, "undefined symbol: ptk_no_such_function"));
    auto unset = call(*remote, "unsetenv", {CallArg::string("PTK_INJECT_MARKER")});
    EXPECT_EQ(unset.signed_value, 0);
    ASSERT_TRUE(remote->restore().ok());
  }
  EXPECT_EQ(read_lines(marker.path()),
            (std::vector<std::string>{fmt::format("loaded {}", pid()),
                                      fmt::format("unloaded {}", pid())}));
  EXPECT_EQ(without_heap(ptk::read_proc_file(pid(), "maps").value_or("")),
            without_heap(mem_before_.maps));
  expect_restored_and_unharmed();
}

INSTANTIATE_TEST_SUITE_P(Abi, InjectCallTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

}  // namespace
}  // namespace ptk_test
