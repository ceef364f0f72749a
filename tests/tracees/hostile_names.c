// A tracee whose every name is hostile: what ptk shows of it must reach no terminal raw. Its
// thread name, its working directory, the file its descriptor 3 refers to, a function of its
// own (an asm label) and, when it is run from such a path, its executable's path all hold
// ESC [2J (clear the screen), BEL, the C1 control CSI (U+009B, in UTF-8), 0xff, and '<' '>'.
//
//   hostile_names DIR [LIB]
// makes DIR/<hostile> and works there, opens <hostile file> as fd 3, calls the hostile
// function of LIB (tests/tracees/lib/hostile_lib.c) through dlopen when given, prints
// "ready PID ADDR" (ADDR: its own hostile function's address), then calls that function once
// per byte on stdin: each byte is written to fd 3. Exits 0 at EOF.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOSTILE "\033[2J\007\302\233\377<>"
#define HOSTILE_FN "fn\033[2J\007\302\233il"
#define HOSTILE_LIB_NAME "lib\033[2J\007\302\233fn"

static int out_fd = -1;

// The bytes of a name go to the symbol table as they are. GCC writes an asm label into its
// assembly text as it is, so a name with spaces or controls needs the assembler's quotes;
// clang takes the label as the symbol's name itself (quotes included, were they given).
#ifdef __clang__
#define ASM_NAME(name) __asm__(name)
#else
#define ASM_NAME(name) __asm__("\"" name "\"")
#endif

// Reads one byte, writes it to fd 3; 0 at EOF. Never inlined: backtraces must show it.
__attribute__((noinline)) int hostile_fn(void) ASM_NAME(HOSTILE_FN);
__attribute__((noinline)) int hostile_fn(void) {
  char c;
  if (read(0, &c, 1) != 1) return 0;
  return write(out_fd, &c, 1) == 1;
}

int main(int argc, char** argv) {
  if (argc < 2) return 100;
  if (prctl(PR_SET_NAME, "t" HOSTILE, 0, 0, 0) != 0) return 2;
  if (chdir(argv[1]) != 0 || (mkdir("d" HOSTILE, 0700) != 0 && access("d" HOSTILE, F_OK) != 0) ||
      chdir("d" HOSTILE) != 0) {
    return 3;
  }
  out_fd = open("f" HOSTILE, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (out_fd < 0) return 4;
  if (argc > 2) {
    void* lib = dlopen(argv[2], RTLD_NOW);
    int (*fn)(int) = lib != NULL ? (int (*)(int))dlsym(lib, HOSTILE_LIB_NAME) : NULL;
    if (fn == NULL || fn(41) != 42) return 5;
  }
  printf("ready %d %#lx\n", (int)getpid(), (unsigned long)(uintptr_t)&hostile_fn);
  fflush(stdout);
  while (hostile_fn() > 0) {
  }
  return 0;
}
