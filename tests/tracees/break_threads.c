/* break_threads N: 8 threads each call thread_target N times, then classic_target N times
 * (an assembly entry whose first instruction takes the classic step-over).
 * Writes "total T" and exits 0 when T is right. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define THREADS 8

long total;
static int n;

__attribute__((noinline)) void thread_target(long v) {
  __atomic_add_fetch(&total, v, __ATOMIC_RELAXED);
}

void classic_target(long v);
/* An instruction ptk can neither copy to a slot nor emulate. x86: a conditional branch to the
 * next instruction (jz), the same effect taken or not. aarch64 simulates its conditional
 * branches; a SIMD&FP literal load reads the pc too and is not simulated (it loads the entry's
 * own first word into v16, a scratch register no argument uses). */
#if defined(__aarch64__)
__asm__(
    ".text\n.globl classic_target\n.type classic_target,@function\nclassic_target:\n"
    "  ldr d16, classic_target\n  b thread_target\n.size classic_target,.-classic_target\n");
#else
__asm__(
    ".text\n.globl classic_target\n.type classic_target,@function\nclassic_target:\n"
    "  jz 1f\n1:\n  jmp thread_target\n.size classic_target,.-classic_target\n");
#endif

static void* worker(void* arg) {
  long id = (long)arg;
  for (int i = 0; i < n; i++) thread_target(id + 1);
  /* i386 cdecl: the argument stays on the stack, where thread_target finds it after the jmp. */
  for (int i = 0; i < n; i++) classic_target(id + 1);
  return NULL;
}

int main(int argc, char** argv) {
  n = argc > 1 ? atoi(argv[1]) : 100;
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void*)i);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  long expect = 2L * n * (THREADS * (THREADS + 1) / 2);
  printf("total %ld\n", total);
  return total == expect ? 0 : 2;
}
