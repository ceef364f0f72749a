// The child of the article's example 1: its very first system call is execve("/bin/ls"), made
// from this program's own ABI (syscall 59 on x86_64, int $0x80 with 11 on i386, svc #0 with 221
// on aarch64). No libc, so no start-up code makes a syscall before it.
static char ls_path[] = "/bin/ls";
static char arg0[] = "ls";
static char arg1[] = "/";

#if defined(__x86_64__)
static long raw_syscall3(long nr, long a, long b, long c) {
  long ret;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(nr), "D"(a), "S"(b), "d"(c)
                   : "rcx", "r11", "memory");
  return ret;
}
enum { kExecve = 59, kExit = 60 };
#elif defined(__aarch64__)
static long raw_syscall3(long nr, long a, long b, long c) {
  register long x8 __asm__("x8") = nr;
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
  return x0;
}
enum { kExecve = 221, kExit = 93 };  // the generic table (asm-generic/unistd.h)
#else
static long raw_syscall3(long nr, long a, long b, long c) {
  long ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
  return ret;
}
enum { kExecve = 11, kExit = 1 };
#endif

// The kernel enters _start with sp 16-byte aligned, not the sp+8 a called function expects;
// without realigning, compilers' aligned stores (movaps) to the stack fault. (On aarch64 sp is
// always 16-byte aligned, and the attribute is x86's.)
#if defined(__aarch64__)
void _start(void) {
#else
__attribute__((force_align_arg_pointer)) void _start(void) {
#endif
  char* argv[] = {arg0, arg1, 0};
  char* envp[] = {0};
  raw_syscall3(kExecve, (long)ls_path, (long)argv, (long)envp);
  raw_syscall3(kExit, 127, 0, 0);
  for (;;) {
  }
}
