// Makes the i386 getpid (eax = 20) through `int $0x80`, from a 64-bit program as well as from
// a 32-bit one, and exits 0 when it returned the process id. In the 64-bit build ebx is 5 with
// nonzero upper bits in rbx, which a 32-bit syscall does not see.
#include <unistd.h>

int main(void) {
  long ret;
#if defined(__x86_64__)
  __asm__ volatile("int $0x80"
                   : "=a"(ret)
                   : "a"(20L), "b"(0x1234567800000005L)
                   : "r8", "r9", "r10", "r11", "memory");
#else
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L), "b"(5L) : "memory");
#endif
  return ret == (long)getpid() ? 0 : 1;
}
