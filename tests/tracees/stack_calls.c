// Tracee for stack traces (ptk trace -k, debug::Unwinder): each write(2) comes from a known
// call chain, main -> level_one -> level_two -> write. Between its two writes it dlopens libm,
// so the second stack is taken after the process's mappings changed; the second line it
// writes is the address of libm's cos, for a test to look up.
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

// noinline, and an empty asm after each call so that no call is a tail call: every level
// keeps its own frame even when optimised.
__attribute__((noinline)) long level_two(const char* text) {
  long n = write(1, text, strlen(text));
  __asm__ volatile("" ::: "memory");
  return n;
}

__attribute__((noinline)) long level_one(const char* text) {
  long n = level_two(text);
  __asm__ volatile("" ::: "memory");
  return n;
}

int main(void) {
  if (level_one("first\n") != 6) return 1;
  void* libm = dlopen("libm.so.6", RTLD_NOW);
  void* cos_fn = libm != NULL ? dlsym(libm, "cos") : NULL;
  char line[64];
  snprintf(line, sizeof line, "%p\n", cos_fn);
  if (level_one(line) <= 0) return 1;
  return cos_fn != NULL ? 0 : 2;
}
