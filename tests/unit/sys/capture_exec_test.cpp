// CaptureBuilder over the test's own memory (process_vm_readv on itself): each kind of plan
// item copies exactly the chunks capture_abi.h describes.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "low_map.h"
#include "ptk/sys/capture_exec.h"
#include "ptk/sys/raw_event.h"

namespace ptk::sys {
namespace {

struct Chunk {
  std::uint64_t addr;
  std::uint32_t flags;
  std::string bytes;
};

struct Parsed {
  ptk_ev_syscall sc;
  std::vector<Chunk> chunks;
};

Parsed parse(std::span<const std::byte> rec) {
  Parsed p{};
  EXPECT_GE(rec.size(), sizeof p.sc);
  std::memcpy(&p.sc, rec.data(), sizeof p.sc);
  EXPECT_EQ(p.sc.h.size, rec.size());
  EXPECT_EQ(rec.size() % 8, 0u);
  std::size_t at = sizeof p.sc;
  for (unsigned i = 0; i < p.sc.nchunks; ++i) {
    ptk_ev_chunk c;
    std::memcpy(&c, rec.data() + at, sizeof c);
    at += sizeof c;
    p.chunks.push_back(
        {c.addr, c.flags, std::string(reinterpret_cast<const char*>(rec.data() + at), c.len)});
    at += PTK_CHUNK_PAD(c.len);
  }
  EXPECT_EQ(at, rec.size());
  return p;
}

std::uint64_t addr_of(const void* p) { return reinterpret_cast<std::uint64_t>(p); }

ptk_cap_plan plan_of(std::initializer_list<ptk_cap_item> items) {
  ptk_cap_plan plan{};
  plan.flags = PTK_PLAN_TRACE;
  for (const auto& it : items) plan.items[plan.nitems++] = it;
  return plan;
}

class CaptureTest : public ::testing::Test {
 protected:
  Parsed run(const ptk_cap_plan& plan, bool exit = false, Arch arch = Arch::X86_64) {
    stop_.arch = arch;
    return parse(builder_.build(mem_, &plan, stop_, exit, 7, 8, 99));
  }
  // Two pages, the second unmapped: strings and buffers that run into it.
  char* edge() {
    void* p = ::mmap(nullptr, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    EXPECT_NE(p, MAP_FAILED);
    ::munmap(static_cast<char*>(p) + 4096, 4096);
    maps_.push_back(p);
    return static_cast<char*>(p) + 4096;
  }
  void TearDown() override {
    for (void* p : maps_) ::munmap(p, 4096);
  }

  Memory mem_{::getpid()};
  CaptureBuilder builder_;
  SyscallStop stop_;
  std::vector<void*> maps_;
};

TEST_F(CaptureTest, RegistersOnly) {
  stop_.nr = 39;
  stop_.args = {1, 2, 3, 4, 5, 6};
  stop_.ret = 1234;
  stop_.ip = 0x1000;
  stop_.sp = 0x2000;
  auto p = parse(builder_.build(mem_, nullptr, stop_, true, 7, 8, 99));
  EXPECT_EQ(p.sc.h.type, PTK_EV_SYSCALL_EXIT);
  EXPECT_EQ(p.sc.h.tid, 7u);
  EXPECT_EQ(p.sc.h.pid, 8u);
  EXPECT_EQ(p.sc.h.time_ns, 99u);
  EXPECT_EQ(p.sc.nr, 39);
  EXPECT_EQ(p.sc.args[5], 6u);
  EXPECT_EQ(p.sc.ret, 1234);
  EXPECT_EQ(p.sc.ip, 0x1000u);
  EXPECT_EQ(p.sc.nchunks, 0);
  auto entry = parse(builder_.build(mem_, nullptr, stop_, false, 7, 8, 99));
  EXPECT_EQ(entry.sc.h.type, PTK_EV_SYSCALL_ENTRY);
  EXPECT_EQ(entry.sc.ret, 0);
}

TEST_F(CaptureTest, CStringWithAndWithoutNul) {
  const char* path = "/etc/hostname";
  stop_.args[1] = addr_of(path);
  auto p = run(plan_of({{PTK_CAP_CSTR, 1, PTK_AT_ENTRY, 0, 0, 0, 0, 0, 4096}}));
  ASSERT_EQ(p.chunks.size(), 1u);
  EXPECT_EQ(p.chunks[0].addr, addr_of(path));
  EXPECT_EQ(p.chunks[0].bytes, std::string(path, 14));  // the NUL included
  EXPECT_EQ(p.chunks[0].flags, 0u);
  // Bounded: 5 bytes, no NUL.
  p = run(plan_of({{PTK_CAP_CSTR, 1, PTK_AT_ENTRY, 0, 0, 0, 0, 0, 5}}));
  EXPECT_EQ(p.chunks[0].bytes, "/etc/");
  // Not at exit when the item is for the entry.
  EXPECT_TRUE(
      run(plan_of({{PTK_CAP_CSTR, 1, PTK_AT_ENTRY, 0, 0, 0, 0, 0, 5}}), true).chunks.empty());
  // Running into an unmapped page: what was there, and the fault.
  char* e = edge();
  std::memcpy(e - 3, "abc", 3);
  stop_.args[1] = addr_of(e - 3);
  p = run(plan_of({{PTK_CAP_CSTR, 1, PTK_AT_ENTRY, 0, 0, 0, 0, 0, 100}}));
  EXPECT_EQ(p.chunks[0].bytes, "abc");
  EXPECT_EQ(p.chunks[0].flags, unsigned{PTK_CHUNK_FAULT});
  // Unreadable from its first byte, or NULL: nothing.
  stop_.args[1] = addr_of(e);
  EXPECT_TRUE(run(plan_of({{PTK_CAP_CSTR, 1, PTK_AT_ENTRY, 0, 0, 0, 0, 0, 100}})).chunks.empty());
  stop_.args[1] = 0;
  EXPECT_TRUE(run(plan_of({{PTK_CAP_CSTR, 1, PTK_AT_ENTRY, 0, 0, 0, 0, 0, 100}})).chunks.empty());
}

TEST_F(CaptureTest, BufferLengthRules) {
  char data[64];
  for (int i = 0; i < 64; ++i) data[i] = static_cast<char>('A' + i % 26);
  stop_.args[1] = addr_of(data);
  stop_.args[2] = 10;
  auto p = run(plan_of({{PTK_CAP_BUF, 1, PTK_AT_ENTRY, PTK_LEN_ARG, 2, 0, 0, 1, 32}}));
  ASSERT_EQ(p.chunks.size(), 1u);
  EXPECT_EQ(p.chunks[0].bytes, std::string(data, 10));
  stop_.args[2] = 50;  // bounded by max
  p = run(plan_of({{PTK_CAP_BUF, 1, PTK_AT_ENTRY, PTK_LEN_ARG, 2, 0, 0, 1, 32}}));
  EXPECT_EQ(p.chunks[0].bytes.size(), 32u);
  p = run(plan_of({{PTK_CAP_BUF, 1, PTK_AT_ENTRY, PTK_LEN_CONST, 0, 0, 0, 16, 4096}}));
  EXPECT_EQ(p.chunks[0].bytes, std::string(data, 16));
  // The return value: 4 elements of 2 bytes at exit; nothing on an error.
  stop_.ret = 4;
  p = run(plan_of({{PTK_CAP_BUF, 1, PTK_AT_EXIT, PTK_LEN_RET, 0, 0, 0, 2, 4096}}), true);
  EXPECT_EQ(p.chunks[0].bytes, std::string(data, 8));
  stop_.ret = -14;
  EXPECT_TRUE(run(plan_of({{PTK_CAP_BUF, 1, PTK_AT_EXIT, PTK_LEN_RET, 0, 0, 0, 2, 4096}}), true)
                  .chunks.empty());
  // A socklen_t * length.
  std::uint32_t len = 6;
  stop_.args[2] = addr_of(&len);
  p = run(plan_of({{PTK_CAP_BUF, 1, PTK_AT_ENTRY, PTK_LEN_ARG_U32, 2, 0, 0, 1, 128}}));
  EXPECT_EQ(p.chunks[0].bytes, std::string(data, 6));
}

TEST_F(CaptureTest, BufferAllOrNothingUnlessPageOk) {
  char* e = edge();
  std::memset(e - 8, 'z', 8);
  stop_.args[0] = addr_of(e - 8);
  // Not all of it: nothing (the address then reads as unmapped).
  auto p = run(plan_of({{PTK_CAP_BUF, 0, PTK_AT_ENTRY, PTK_LEN_CONST, 0, 0, 0, 16, 4096}}));
  EXPECT_TRUE(p.chunks.empty());
  p = run(
      plan_of({{PTK_CAP_BUF, 0, PTK_AT_ENTRY, PTK_LEN_CONST, 0, PTK_CAP_PAGE_OK, 0, 16, 4096}}));
  EXPECT_EQ(p.chunks[0].bytes, std::string(8, 'z'));
  EXPECT_EQ(p.chunks[0].flags, unsigned{PTK_CHUNK_FAULT});
}

TEST_F(CaptureTest, StringAndPointerArrays) {
  const char* argv[] = {"prog", "-x", "arg", nullptr};
  stop_.args[1] = addr_of(argv);
  auto p = run(plan_of({{PTK_CAP_STR_ARRAY, 1, PTK_AT_ENTRY, 0, 0, 0, 8, 0, 32}}));
  ASSERT_EQ(p.chunks.size(), 4u);
  EXPECT_EQ(p.chunks[0].bytes.size(), 4 * 8u);  // three pointers and the NULL
  EXPECT_EQ(p.chunks[1].bytes, std::string("prog", 5));
  EXPECT_EQ(p.chunks[3].bytes, std::string("arg", 4));
  p = run(plan_of({{PTK_CAP_PTR_ARRAY, 1, PTK_AT_ENTRY, 0, 0, 0, 8, 0, 32}}));
  ASSERT_EQ(p.chunks.size(), 1u);
  // At most count_max pointers and the word after them (here not the NULL).
  p = run(plan_of({{PTK_CAP_STR_ARRAY, 1, PTK_AT_ENTRY, 0, 0, 0, 1, 0, 32}}));
  ASSERT_EQ(p.chunks.size(), 2u);
  EXPECT_EQ(p.chunks[0].bytes.size(), 16u);
  EXPECT_EQ(p.chunks[1].bytes, std::string("prog", 5));
}

TEST_F(CaptureTest, I386WordsAreFourBytes) {
  void* low = ptk_test::map_low(4096);
  ASSERT_NE(low, MAP_FAILED);
  auto* words = static_cast<std::uint32_t*>(low);
  char* str = static_cast<char*>(low) + 64;
  std::strcpy(str, "hi");
  words[0] = static_cast<std::uint32_t>(addr_of(str));
  words[1] = 0;
  stop_.args[0] = addr_of(low);
  auto p =
      run(plan_of({{PTK_CAP_STR_ARRAY, 0, PTK_AT_ENTRY, 0, 0, 0, 8, 0, 32}}), false, Arch::I386);
  EXPECT_EQ(p.sc.h.abi, PTK_ABI_I386);
  ASSERT_EQ(p.chunks.size(), 2u);
  EXPECT_EQ(p.chunks[0].bytes.size(), 8u);
  EXPECT_EQ(p.chunks[1].bytes, std::string("hi", 3));
  ::munmap(low, 4096);
}

TEST_F(CaptureTest, IovecAndMsghdr) {
  char a[] = "hello", b[] = "world!";
  iovec iov[2] = {{a, 5}, {b, 6}};
  stop_.args[1] = addr_of(iov);
  stop_.args[2] = 2;
  auto p = run(plan_of({{PTK_CAP_IOVEC, 1, PTK_AT_ENTRY, PTK_LEN_ARG, 2, 0, 8, 1, 4}}));
  ASSERT_EQ(p.chunks.size(), 3u);
  EXPECT_EQ(p.chunks[0].bytes.size(), sizeof iov);
  EXPECT_EQ(p.chunks[1].bytes, "hell");  // max 4 of each
  EXPECT_EQ(p.chunks[2].bytes, "worl");

  char ctrl[24] = {1, 2, 3};
  sockaddr_storage name{};
  msghdr m{};
  m.msg_name = &name;
  m.msg_namelen = 16;
  m.msg_iov = iov;
  m.msg_iovlen = 2;
  m.msg_control = ctrl;
  m.msg_controllen = sizeof ctrl;
  stop_.args[1] = addr_of(&m);
  p = run(plan_of({{PTK_CAP_MSGHDR, 1, PTK_AT_ENTRY, 0, 0, 0, 8, 20, 32}}));
  ASSERT_EQ(p.chunks.size(), 6u);
  EXPECT_EQ(p.chunks[0].bytes.size(), sizeof m);
  EXPECT_EQ(p.chunks[1].addr, addr_of(&name));
  EXPECT_EQ(p.chunks[1].bytes.size(), 16u);
  EXPECT_EQ(p.chunks[3].bytes, "hello");
  EXPECT_EQ(p.chunks[5].addr, addr_of(ctrl));
  EXPECT_EQ(p.chunks[5].bytes.size(), 20u);  // controllen bounded by size

  mmsghdr mm[2]{};
  mm[0].msg_hdr = m;
  mm[1].msg_hdr = m;
  mm[1].msg_hdr.msg_control = nullptr;
  stop_.args[1] = addr_of(mm);
  stop_.ret = 2;
  p = run(plan_of({{PTK_CAP_MMSGHDR, 1, PTK_AT_EXIT, PTK_LEN_RET, 0, 0, 8, 1, 32}}), true);
  // The array, then per message: name, iovec array, two bases (and control for the first).
  ASSERT_EQ(p.chunks.size(), 1u + 5u + 4u);
  EXPECT_EQ(p.chunks[0].bytes.size(), sizeof mm);
}

TEST_F(CaptureTest, FullRecordDropsChunksAndSaysSo) {
  std::vector<char> big(40000, 'q');
  stop_.args[1] = addr_of(big.data());
  stop_.args[2] = big.size();
  ptk_cap_item item{PTK_CAP_BUF, 1, PTK_AT_ENTRY, PTK_LEN_ARG, 2, 0, 0, 1, 1u << 20};
  auto p = run(plan_of({item, item}));
  ASSERT_EQ(p.chunks.size(), 1u);
  EXPECT_EQ(p.sc.flags, PTK_SC_CAPTURE_FULL);
  EXPECT_LE(p.sc.h.size, PTK_EV_MAX_SIZE);
}

TEST_F(CaptureTest, FullRecordCutsAString) {
  std::vector<char> big(PTK_EV_MAX_SIZE - 200, 'q');
  std::string path(1000, 'p');
  stop_.args[0] = addr_of(path.c_str());
  stop_.args[1] = addr_of(big.data());
  stop_.args[2] = big.size();
  auto p = run(plan_of({{PTK_CAP_BUF, 1, PTK_AT_ENTRY, PTK_LEN_ARG, 2, 0, 0, 1, 1u << 20},
                        {PTK_CAP_CSTR, 0, PTK_AT_ENTRY, 0, 0, 0, 0, 0, 4096}}));
  ASSERT_EQ(p.chunks.size(), 2u);
  EXPECT_EQ(p.sc.flags, PTK_SC_CAPTURE_FULL);
  EXPECT_GT(p.chunks[1].bytes.size(), 0u);
  EXPECT_LT(p.chunks[1].bytes.size(), 200u);
  EXPECT_EQ(p.chunks[1].bytes, path.substr(0, p.chunks[1].bytes.size()));
  EXPECT_EQ(p.sc.h.size, PTK_EV_MAX_SIZE);
}

}  // namespace
}  // namespace ptk::sys
