// Machine code the injection tests run, per host: x86 bytes (the same in 64-bit and 32-bit mode
// unless said) or aarch64 words, with what each leaves behind.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace ptk_test {

inline std::vector<std::byte> code_bytes(std::initializer_list<unsigned char> list) {
  std::vector<std::byte> out;
  for (unsigned char b : list) out.push_back(std::byte{b});
  return out;
}

// aarch64 instructions as memory holds them: little-endian words.
inline std::vector<std::byte> code_words(std::initializer_list<std::uint32_t> words) {
  std::vector<std::byte> out;
  for (std::uint32_t w : words) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>(w >> (8 * i)));
  }
  return out;
}

// Code that faults loading from address 0, and how far into it the faulting instruction is.
struct NullLoad {
  std::vector<std::byte> code;
  std::uint64_t fault_offset = 0;
};

#if defined(__aarch64__)

// mov x19, #0; mov x29, #0; movi v0.2d, #0; movi v8.2d, #0; fmov d31, xzr;
// stp x19, x30, [sp, #-16]!; ldp x19, x30, [sp], #16; mov w0, #42; ret -- a callee-saved and
// the frame register, FP/SIMD state and the stack all touched, and it ends by returning.
inline std::vector<std::byte> clobber_code() {
  return code_words({0xd2800013, 0xd280001d, 0x6f00e400, 0x6f00e408, 0x9e6703ff, 0xa9bf7bf3,
                     0xa8c17bf3, 0x52800540, 0xd65f03c0});
}
// The register clobber_code zeroes, as the ABI names it.
inline const char* clobbered_reg(int /*bits*/) { return "x19"; }
// mov x1, #0; ldr x0, [x1]
inline NullLoad null_load(int /*bits*/) { return {code_words({0xd2800001, 0xf9400020}), 4}; }
// mov w0, #42: falls through to ptk's breakpoint.
inline std::vector<std::byte> ret42_code() { return code_words({0x52800540}); }
// mov w0, #42; ret
inline std::vector<std::byte> ret42_returning_code() {
  return code_words({0x52800540, 0xd65f03c0});
}
// mov w0, #7
inline std::vector<std::byte> ret7_code() { return code_words({0x528000e0}); }
// The same as hex text for `ptk inject --hex`.
inline std::string ret42_hex() { return "40 05 80 52"; }
inline std::string null_load_hex(int /*bits*/) { return "01 00 80 d2 20 00 40 f9"; }
// mov x8, #172 (getpid); svc #0; brk #0
inline std::string getpid_hex(int /*bits*/) { return "88 15 80 d2 01 00 00 d4 00 00 20 d4"; }

#else

// xor ebx,ebx; xor ebp,ebp; pxor xmm0,xmm0; pxor xmm7,xmm7; fldz; push/pop rbx|ebx;
// mov eax,42; ret -- registers, SSE and x87 state and the stack all touched, and it ends by
// returning. The same bytes mean the same in 64-bit and 32-bit mode.
inline std::vector<std::byte> clobber_code() {
  return code_bytes({0x31, 0xdb, 0x31, 0xed, 0x66, 0x0f, 0xef, 0xc0, 0x66, 0x0f, 0xef,
                     0xff, 0xd9, 0xee, 0x53, 0x5b, 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3});
}
inline const char* clobbered_reg(int bits) { return bits == 64 ? "rbx" : "ebx"; }
// mov rax, [0] / mov eax, [0]
inline NullLoad null_load(int bits) {
  return {bits == 64 ? code_bytes({0x48, 0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x00})
                     : code_bytes({0xa1, 0x00, 0x00, 0x00, 0x00}),
          0};
}
// mov eax, 42: falls through to ptk's int3.
inline std::vector<std::byte> ret42_code() { return code_bytes({0xb8, 0x2a, 0x00, 0x00, 0x00}); }
// mov eax, 42; ret
inline std::vector<std::byte> ret42_returning_code() {
  return code_bytes({0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3});
}
// mov eax, 7
inline std::vector<std::byte> ret7_code() { return code_bytes({0xb8, 0x07, 0x00, 0x00, 0x00}); }
inline std::string ret42_hex() { return "b8 2a 00 00 00"; }
inline std::string null_load_hex(int bits) {
  return bits == 64 ? "48 8b 04 25 00 00 00 00" : "a1 00 00 00 00";
}
// mov eax, 39 (getpid); syscall; int3 -- or for i386 mov eax, 20; int $0x80; int3
inline std::string getpid_hex(int bits) {
  return bits == 64 ? "b8 27 00 00 00 0f 05 cc" : "b8 14 00 00 00 cd 80 cc";
}

#endif

}  // namespace ptk_test
