// Tracee for the inspection commands (ptk regs, mem, maps, bt). It puts known things in
// place, reports where they are on stdout in one line, then serves one-byte commands read
// from stdin:
//   ready pid=P marker=ADDR answer=ADDR tls=ADDR edge=ADDR worker=TID
// - marker: a buffer in .data holding "ptk-inspect-marker-P", a string that exists nowhere
//   else in the process (it is built at run time: no copy in .rodata or on the stack);
// - answer: a function returning 42, called through a pointer on command 'a' (a test patches
//   its read-only code);
// - tls: the thread pointer as the thread itself reads it (%fs:0 on x86_64, %gs:0 on i386,
//   tpidr_el0 on aarch64), which ptk must report as fs_base (64-bit) or gs_base (32-bit);
// - edge: the end of a readable page after which nothing is mapped;
// - worker: the id of a second thread named "inspect-worker" (mode "threads"), else 0.
// Between commands the main thread blocks in a raw read(2) made with known values in
// registers the syscall leaves alone: r12/r13 (x86_64), esi/edi (i386), x19/x20 (aarch64).
// Commands: 'p' prints "marker CONTENT", 'a' prints "answer N", 'q' exits; EOF exits.
// Mode "count" instead writes 0, 1, 2, ... one number a line, forever.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__) || defined(__aarch64__)
#define KNOWN_A 0x1122334455667788UL
#define KNOWN_B 0x0123456789abcdefUL
#else
#define KNOWN_A 0x11223344UL
#define KNOWN_B 0x55667788UL
#endif

// Initialised, so that it lives in .data: the mapping of the program file, not the heap.
char g_marker[64] = {1};
static int g_worker_tid;

__attribute__((noinline)) int answer(void) { return 42; }
int (*volatile g_answer)(void) = answer;

// read(fd, buf, 1) as a raw syscall, with KNOWN_A and KNOWN_B in registers that the syscall
// neither takes nor changes, so that a tracer stopping the thread here sees them.
__attribute__((noinline)) long raw_read_known(int fd, char* buf) {
  long ret;
#if defined(__x86_64__)
  register unsigned long a __asm__("r12") = KNOWN_A;
  register unsigned long b __asm__("r13") = KNOWN_B;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "0"((long)SYS_read), "D"((long)fd), "S"(buf), "d"(1L), "r"(a), "r"(b)
                   : "rcx", "r11", "memory");
#elif defined(__aarch64__)
  register unsigned long a __asm__("x19") = KNOWN_A;
  register unsigned long b __asm__("x20") = KNOWN_B;
  register long x8 __asm__("x8") = SYS_read;
  register long x0 __asm__("x0") = fd;
  register char* x1 __asm__("x1") = buf;
  register long x2 __asm__("x2") = 1;
  __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(a), "r"(b) : "memory");
  ret = x0;
#else
  __asm__ volatile("int $0x80"
                   : "=a"(ret)
                   : "0"((long)SYS_read), "b"(fd), "c"(buf), "d"(1L), "S"(KNOWN_A), "D"(KNOWN_B)
                   : "memory");
#endif
  __asm__ volatile("" ::: "memory");  // not a tail call: the frame stays for ptk bt
  return ret;
}

static void* thread_pointer(void) {
  void* tp;
#if defined(__x86_64__)
  __asm__("mov %%fs:0, %0" : "=r"(tp));
#elif defined(__aarch64__)
  __asm__("mrs %0, tpidr_el0" : "=r"(tp));
#else
  __asm__("mov %%gs:0, %0" : "=r"(tp));
#endif
  return tp;
}

static void say(const char* text, size_t len) {
  if (write(1, text, len) != (ssize_t)len) exit(3);
}

__attribute__((noinline)) static void* worker_main(void* arg) {
  int* started = arg;
  int private_pipe[2];
  if (pipe(private_pipe) != 0) exit(4);
  g_worker_tid = (int)syscall(SYS_gettid);
  if (write(started[1], "s", 1) != 1) exit(4);
  char c;
  // Never written: the worker blocks here until the process exits.
  while (read(private_pipe[0], &c, 1) < 0) {
  }
  __asm__ volatile("" ::: "memory");
  return NULL;
}

static void start_worker(void) {
  int started[2];
  pthread_t t;
  if (pipe(started) != 0 || pthread_create(&t, NULL, worker_main, started) != 0) exit(4);
  pthread_setname_np(t, "inspect-worker");
  char c;
  if (read(started[0], &c, 1) != 1) exit(4);
}

// A readable page with no mapping after it: map two pages, give the second one back.
static char* make_edge(void) {
  long page = sysconf(_SC_PAGESIZE);
  char* p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED || munmap(p + page, page) != 0) exit(5);
  memset(p, 'E', page);
  return p + page;
}

__attribute__((noinline)) static void serve(void) {
  char line[128];
  for (;;) {
    char c;
    long n = raw_read_known(0, &c);
    if (n <= 0 || c == 'q') return;
    if (c == 'p') {
      say("marker ", 7);
      say(g_marker, strlen(g_marker));
      say("\n", 1);
    } else if (c == 'a') {
      int len = snprintf(line, sizeof line, "answer %d\n", g_answer());
      say(line, (size_t)len);
    }
  }
}

static void count(void) {
  char line[32];
  for (unsigned long i = 0;; ++i) {
    int len = snprintf(line, sizeof line, "%lu\n", i);
    say(line, (size_t)len);
  }
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "block";
  if (strcmp(mode, "count") == 0) count();
  if (strcmp(mode, "threads") == 0) start_worker();
  snprintf(g_marker, sizeof g_marker, "ptk-inspect-marker-%d", (int)getpid());
  char* edge = make_edge();
  char line[256];
  int len = snprintf(line, sizeof line,
                     "ready pid=%d marker=%p answer=%p tls=%p edge=%p worker=%d\n", (int)getpid(),
                     (void*)g_marker, (void*)answer, thread_pointer(), (void*)edge, g_worker_tid);
  say(line, (size_t)len);
  serve();
  __asm__ volatile("" ::: "memory");
  return 0;
}
