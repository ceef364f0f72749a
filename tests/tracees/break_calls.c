/* break_calls N: breakpoint targets in the program, in libc and in a library loaded with
 * dlopen. Loads libm, writes "ready ADDR" (ADDR: break_by_addr), waits for a byte (or EOF) on
 * stdin, then calls each target N times and writes "sum S" (S: what the calls computed) and
 * exits 0 when S is right. */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

volatile long sink;

__attribute__((noinline)) void break_by_symbol(int i) { sink += i; }
__attribute__((noinline)) void break_by_addr(int i) { sink += 2 * i; }
__attribute__((noinline)) void break_by_line(int i) {
  sink += 3 * i; /* break_calls.c:15: a breakpoint by file:line (keep this line number) */
}

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 5;
  void* libm = dlopen("libm.so.6", RTLD_NOW);
  if (libm == NULL) return 1;
  double (*cbrt_fn)(double) = (double (*)(double))dlsym(libm, "cbrt");
  if (cbrt_fn == NULL) return 1;
  printf("ready %p\n", (void*)&break_by_addr);
  fflush(stdout);
  char c;
  if (read(0, &c, 1) < 0) return 1;
  long cubes = 0;
  for (int i = 0; i < n; i++) {
    break_by_symbol(i);
    break_by_addr(i);
    break_by_line(i);
    cubes += (long)(cbrt_fn((double)i * i * i) + 0.5);
    cubes += getppid() > 0 ? 0 : 1000;
  }
  long expect = 6L * n * (n - 1) / 2;
  printf("sum %ld\n", sink + cubes);
  return sink == expect && cubes == (long)n * (n - 1) / 2 ? 0 : 2;
}
