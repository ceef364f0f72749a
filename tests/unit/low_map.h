// Memory below 2 GiB, where a 32-bit tracee's pointers can point, for the tests that decode
// i386 calls from the test's own memory.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace ptk_test {

// `size` bytes read-write below 2 GiB, or MAP_FAILED. x86_64 has MAP_32BIT for it; elsewhere
// (aarch64 lacks the flag) the first free range from a fixed hint upward, which
// MAP_FIXED_NOREPLACE (Linux 4.17) takes without replacing anything already mapped there.
inline void* map_low(std::size_t size) {
#ifdef MAP_32BIT
  return ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1,
                0);
#else
  for (std::uintptr_t hint = 0x10000000; hint < 0x80000000; hint += 0x1000000) {
    void* p = ::mmap(reinterpret_cast<void*>(hint), size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != MAP_FAILED) return p;
  }
  return MAP_FAILED;
#endif
}

}  // namespace ptk_test
