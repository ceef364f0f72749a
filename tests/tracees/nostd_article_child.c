// The child of the article's example 1: its very first system call is execve("/bin/ls"), made
// from this program's own ABI (syscall 59 on x86_64, int $0x80 with 11 on i386). No libc, so
// no start-up code makes a syscall before it.
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
#else
static long raw_syscall3(long nr, long a, long b, long c) {
  long ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
  return ret;
}
enum { kExecve = 11, kExit = 1 };
#endif

// The kernel enters _start with sp 16-byte aligned, not the sp+8 a called function expects;
// without realigning, compilers' aligned stores (movaps) to the stack fault.
__attribute__((force_align_arg_pointer)) void _start(void) {
  char* argv[] = {arg0, arg1, 0};
  char* envp[] = {0};
  raw_syscall3(kExecve, (long)ls_path, (long)argv, (long)envp);
  raw_syscall3(kExit, 127, 0, 0);
  for (;;) {
  }
}
