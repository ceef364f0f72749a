// Example 8 of "Playing with ptrace" (part II): make a running process print "Hello World".
//
//   ex8_inject_hello PID
//
// Attaches to PID, writes code that prints "Hello World\n" over its current instruction
// stream, runs it to the breakpoint instruction that ends it, puts the original bytes and registers
// back and detaches. Then the same again in free space: the start of an executable region of the
// program, found in /proc/PID/maps. The process runs on as if nothing had happened.
#include <fmt/format.h>

#include <cstdlib>
#include <span>
#include <vector>

#include "ptk/core/proc.h"
#include "ptk/core/session.h"
#include "ptk/inject/shellcode.h"

namespace {

// write(1, msg, 12); int3 (brk #0); msg. Position independent: the message is found relative
// to the code (rip-relative on x86_64, call/pop on i386, adr on aarch64).
constexpr unsigned char kHello64[] = {
    0x48, 0x8d, 0x35, 0x12, 0x00, 0x00, 0x00,  // lea rsi, [rip + 0x12]  (msg)
    0xb8, 0x01, 0x00, 0x00, 0x00,              // mov eax, 1            (write)
    0xbf, 0x01, 0x00, 0x00, 0x00,              // mov edi, 1
    0xba, 0x0c, 0x00, 0x00, 0x00,              // mov edx, 12
    0x0f, 0x05,                                // syscall
    0xcc,                                      // int3
    'H',  'e',  'l',  'l',  'o',  ' ',  'W',  'o', 'r', 'l', 'd', '\n'};
constexpr unsigned char kHello32[] = {
    0xe8, 0x00, 0x00, 0x00, 0x00,  // call next (pushes its address)
    0x59,                          // next: pop ecx
    0x83, 0xc1, 0x16,              // add ecx, 22  (msg)
    0xb8, 0x04, 0x00, 0x00, 0x00,  // mov eax, 4   (write)
    0xbb, 0x01, 0x00, 0x00, 0x00,  // mov ebx, 1
    0xba, 0x0c, 0x00, 0x00, 0x00,  // mov edx, 12
    0xcd, 0x80,                    // int $0x80
    0xcc,                          // int3
    'H',  'e',  'l',  'l',  'o',  ' ', 'W', 'o', 'r', 'l', 'd', '\n'};

// aarch64 instructions are little-endian 32-bit words.
constexpr unsigned char kHelloA64[] = {0xc1, 0x00, 0x00, 0x10,  // adr x1, msg
                                       0x20, 0x00, 0x80, 0xd2,  // mov x0, #1
                                       0x82, 0x01, 0x80, 0xd2,  // mov x2, #12
                                       0x08, 0x08, 0x80, 0xd2,  // mov x8, #64   (write)
                                       0x01, 0x00, 0x00, 0xd4,  // svc #0
                                       0x00, 0x00, 0x20, 0xd4,  // brk #0
                                       'H',  'e',  'l',  'l',  'o', ' ',
                                       'W',  'o',  'r',  'l',  'd', '\n'};

std::span<const unsigned char> hello_code(ptk::Arch arch) {
  switch (arch) {
    case ptk::Arch::X86_64:
      return kHello64;
    case ptk::Arch::I386:
      return kHello32;
    case ptk::Arch::Aarch64:
      return kHelloA64;
  }
  return {};
}

int fail(const ptk::Error& e) {
  fmt::print(stderr, "ex8_inject_hello: {}\n", e.message());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    fmt::print(stderr, "usage: ex8_inject_hello PID\n");
    return 2;
  }
  pid_t pid = std::atoi(argv[1]);
  ptk::Session session({.syscall_stops = ptk::SyscallStops::None});
  if (auto s = session.attach(pid); !s.ok()) return fail(s.error());
  auto regs = session.get_regs(pid);
  if (!regs.ok()) return fail(regs.error());
  std::span<const std::byte> hello = std::as_bytes(hello_code(regs->arch()));
  ptk::inject::ShellcodeOptions code;
  code.code.assign(hello.begin(), hello.end());

  // 1. Over the instruction stream, where the process stopped.
  code.place = ptk::inject::CodePlace::AtIp;
  auto at_ip = ptk::inject::run_shellcode(session, pid, code);
  if (!at_ip.ok()) return fail(at_ip.error());
  fmt::print("ran {} bytes at the ip {:#x}\n", at_ip->size, at_ip->code_addr);

  // 2. In free space: the first executable region of the program itself.
  auto maps = ptk::read_maps(pid);
  if (!maps.ok()) return fail(maps.error());
  for (const ptk::MapEntry& m : *maps) {
    if (!m.exec || m.path.empty() || m.path.front() == '[') continue;
    code.place = ptk::inject::CodePlace::AtAddress;
    code.address = m.start;
    auto in_free = ptk::inject::run_shellcode(session, pid, code);
    if (!in_free.ok()) return fail(in_free.error());
    fmt::print("ran {} bytes at {:#x} in {}\n", in_free->size, m.start, m.path);
    break;
  }
  if (auto s = session.detach(pid); !s.ok()) return fail(s.error());
  return 0;
}
