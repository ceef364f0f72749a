// Tracee memory through Session::memory: reads and writes, strings up to a bound and up to the
// end of a page, partial reads, unmapped addresses, and patching read-only code and data.
#include <algorithm>
#include <cstring>
#include <sstream>
#include <type_traits>

#include "ptk/core/proc.h"
#include "test_util.h"

namespace ptk_test {
namespace {

using ptk::EventKind;
using ptk::RemoteAddr;

std::span<const std::byte> as_bytes(std::string_view s) {
  return std::as_bytes(std::span(s.data(), s.size()));
}

std::string to_string(std::span<const std::byte> bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// mem_layout, spawned with stdin/stdout on pipes, run until it wrote its addresses, then
// interrupted: every test works on a stopped tracee.
class MemoryTest : public ptk_test::BitsTest {
 protected:
  void SetUp() override {
    BitsTest::SetUp();
    if (IsSkipped()) return;
    auto spawned = spawn_with_stdio(session_, {tracee_path("mem_layout", GetParam())},
                                    in_.read_end.get(), out_.write_end.get());
    ASSERT_TRUE(spawned.ok()) << spawned.error().message();
    pid_ = *spawned;
    in_.read_end.reset();
    out_.write_end.reset();
    ASSERT_TRUE(session_.resume(pid_).ok());
    auto line = read_line(out_.read_end.get());
    ASSERT_TRUE(line.has_value());
    std::istringstream fields(*line);
    fields >> std::hex >> page_ >> area_ >> answer_ >> rodata_;
    ASSERT_FALSE(fields.fail()) << *line;
    ASSERT_TRUE(session_.interrupt(pid_).ok());
    auto ev = session_.wait();
    ASSERT_TRUE(ev.ok()) << ev.error().message();
    ASSERT_EQ(ev->kind, EventKind::Interrupt) << describe(*ev);
  }

  ptk::Memory& mem() { return session_.memory(pid_); }
  RemoteAddr page(int i) const { return RemoteAddr(area_ + static_cast<std::uint64_t>(i) * page_); }

  // Lets the tracee go on: with a byte on stdin it prints its .rodata string and exits with
  // answer(); without, it exits 0. Returns its output.
  std::string finish(bool send_byte, const std::string& expect_end) {
    if (send_byte) {
      EXPECT_TRUE(write_byte(in_.write_end.get()));
    }
    in_.write_end.reset();
    EXPECT_TRUE(session_.resume(pid_).ok());
    std::vector<ptk::Event> events = run_to_end(session_);
    EXPECT_EQ(how_ended(events, pid_), expect_end) << describe(events);
    return read_all(out_.read_end.get());
  }

  ptk::Session session_{{.syscall_stops = ptk::SyscallStops::None}};
  Pipe in_ = make_pipe();
  Pipe out_ = make_pipe();
  pid_t pid_ = 0;
  std::uint64_t page_ = 0, area_ = 0, answer_ = 0, rodata_ = 0;
};

TEST_P(MemoryTest, ReadsAndWritesData) {
  std::string text = "written by the tracer";
  ASSERT_TRUE(mem().write(page(2), as_bytes(text)).ok());
  std::vector<std::byte> back(text.size());
  auto n = mem().read(page(2), back);
  ASSERT_TRUE(n.ok()) << n.error().message();
  EXPECT_EQ(*n, text.size());
  EXPECT_EQ(to_string(back), text);
  // Unaligned single values, both ways.
  ptk::RemotePtr<std::uint32_t> at(page(2).addr() + 3);
  ASSERT_TRUE(mem().write_value(at, std::uint32_t{0xdeadbeef}).ok());
  auto value = mem().read_value(at);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 0xdeadbeefu);
  finish(false, "exited with 0");
}

TEST_P(MemoryTest, ReadStringStopsAtTheBound) {
  auto s = mem().read_string(RemoteAddr(rodata_), 256);
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(s->bytes, "a rodata string");
  EXPECT_TRUE(s->terminated);
  auto bounded = mem().read_string(RemoteAddr(rodata_), 5);
  ASSERT_TRUE(bounded.ok());
  EXPECT_EQ(bounded->bytes, "a rod");
  EXPECT_FALSE(bounded->terminated);
  // A bound of exactly the length does not reach the NUL.
  auto exact = mem().read_string(RemoteAddr(rodata_), 15);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->bytes, "a rodata string");
  EXPECT_FALSE(exact->terminated);
  finish(false, "exited with 0");
}

TEST_P(MemoryTest, ReadStringAtTheEndOfAPageBeforeAHole) {
  // "at the edge" ends with its NUL in the last byte of page 0; page 1 is not mapped.
  auto s = mem().read_string(page(1) - 12, 4096);
  ASSERT_TRUE(s.ok()) << s.error().message();
  EXPECT_EQ(s->bytes, "at the edge");
  EXPECT_TRUE(s->terminated);
  // Page 2 ends with 16 'y' and no NUL before the hole: what was readable, unterminated.
  auto cut = mem().read_string(page(3) - 16, 4096);
  ASSERT_TRUE(cut.ok()) << cut.error().message();
  EXPECT_EQ(cut->bytes, std::string(16, 'y'));
  EXPECT_FALSE(cut->terminated);
  finish(false, "exited with 0");
}

TEST_P(MemoryTest, PartialReadReportsTheCount) {
  std::vector<std::byte> buf(64);
  auto n = mem().read(page(3) - 16, buf);
  ASSERT_TRUE(n.ok()) << n.error().message();
  EXPECT_EQ(*n, 16u);
  EXPECT_EQ(to_string(std::span(buf).first(16)), std::string(16, 'y'));
  // read_exact wants all of it.
  auto exact = mem().read_exact(page(3) - 16, buf);
  ASSERT_FALSE(exact.ok());
  EXPECT_EQ(exact.error().kind(), ptk::ErrorKind::BadAddress);
  finish(false, "exited with 0");
}

TEST_P(MemoryTest, UnmappedAddressIsBadAddress) {
  std::vector<std::byte> buf(8);
  auto n = mem().read(page(1), buf);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().kind(), ptk::ErrorKind::BadAddress);
  EXPECT_NE(n.error().message().find(fmt::format("{:#x}", page(1).addr())), std::string::npos)
      << n.error().message();
  EXPECT_NE(n.error().message().find(std::to_string(pid_)), std::string::npos)
      << n.error().message();
  auto s = mem().read_string(page(1), 100);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ptk::ErrorKind::BadAddress);
  auto v = mem().read_value(ptk::RemotePtr<std::uint64_t>(page(3).addr()));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind(), ptk::ErrorKind::BadAddress);
  auto null = mem().read(RemoteAddr(0), buf);
  ASSERT_FALSE(null.ok());
  EXPECT_EQ(null.error().kind(), ptk::ErrorKind::BadAddress);
  auto w = mem().write(page(1), as_bytes("nope"));
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().kind(), ptk::ErrorKind::BadAddress);
  // A write running into the hole fails too.
  EXPECT_FALSE(mem().write(page(1) - 2, as_bytes("nope")).ok());
  // The tracee is unharmed.
  finish(true, "exited with 42");
}

TEST_P(MemoryTest, PatchesReadOnlyCodeAndData) {
  auto maps = ptk::read_maps(pid_);
  ASSERT_TRUE(maps.ok()) << maps.error().message();
  auto mapping = [&](std::uint64_t addr) {
    return std::ranges::find_if(*maps, [&](const ptk::MapEntry& m) { return m.contains(addr); });
  };
  ASSERT_NE(mapping(answer_), maps->end());
  EXPECT_TRUE(mapping(answer_)->exec);
  EXPECT_FALSE(mapping(answer_)->write);
  ASSERT_NE(mapping(rodata_), maps->end());
  EXPECT_FALSE(mapping(rodata_)->write);

#if defined(__aarch64__)
  // answer() returns 42 (`mov w0, #42; ret`, two A64 words at least); its first words become
  // `mov w0, #7; ret` (0x528000e0, 0xd65f03c0, little-endian).
  const std::array<std::byte, 8> patch = {std::byte{0xe0}, std::byte{0x00}, std::byte{0x80},
                                          std::byte{0x52}, std::byte{0xc0}, std::byte{0x03},
                                          std::byte{0x5f}, std::byte{0xd6}};
#else
  // answer() returns 42 (GCC makes it `mov $42, %eax; ret`, Clang adds a frame, either is at
  // least 6 bytes); its first bytes become `mov $7, %eax; ret` (b8 07 00 00 00 c3), the same
  // instructions in both ABIs.
  const std::array<std::byte, 6> patch = {std::byte{0xb8}, std::byte{7}, std::byte{0},
                                          std::byte{0},    std::byte{0}, std::byte{0xc3}};
#endif
  std::remove_const_t<decltype(patch)> code{};
  ASSERT_TRUE(mem().read_exact(RemoteAddr(answer_), code).ok());
  EXPECT_NE(code, patch);
  ASSERT_TRUE(mem().write(RemoteAddr(answer_), patch).ok());
  ASSERT_TRUE(mem().read_exact(RemoteAddr(answer_), code).ok());
  EXPECT_EQ(code, patch);
  ASSERT_TRUE(mem().write(RemoteAddr(rodata_), as_bytes("A-RODATA")).ok());
  EXPECT_EQ(finish(true, "exited with 7"), "A-RODATA string\n");
}

INSTANTIATE_TEST_SUITE_P(Bits, MemoryTest, ::testing::Values(64, 32),
                         [](const auto& info) { return std::to_string(info.param) + "bit"; });

TEST(MemoryAfterExecTest, ReadsTheNewAddressSpace) {
  // exec_thread execs hello_writes: memory read after the exec is the new program's.
  ptk::Session session({.syscall_stops = ptk::SyscallStops::All});
  Pipe out = make_pipe();
  auto pid =
      spawn_with_stdio(session, {tracee_path("exec_thread", 64), tracee_path("hello_writes", 64)},
                       -1, out.write_end.get());
  ASSERT_TRUE(pid.ok()) << pid.error().message();
  out.write_end.reset();
  ASSERT_TRUE(session.resume(*pid).ok());
  std::vector<ptk::Event> seen;
  auto write = wait_until(
      session,
      [](const ptk::Event& e) {
        return e.kind == EventKind::SyscallEntry && e.syscall.arch == arch_of_bits(64) &&
               e.syscall.nr == SYS_write && e.syscall.args[0] == 1;
      },
      &seen);
  ASSERT_TRUE(write.has_value());
  ASSERT_EQ(write->syscall.args[2], 14u) << describe(seen);
  auto text = session.memory(write->tid).read_string(RemoteAddr(write->syscall.args[1]), 14);
  ASSERT_TRUE(text.ok()) << text.error().message();
  EXPECT_EQ(text->bytes, "hello, ptrace\n");
  ASSERT_TRUE(session.resume(*write).ok());
  std::vector<ptk::Event> events = run_to_end(session);
  EXPECT_EQ(how_ended(events, *pid), "exited with 0") << describe(events);
}

}  // namespace
}  // namespace ptk_test
