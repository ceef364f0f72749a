// Loads libm with dlopen after start-up and calls through dlsym: sqrt(2), pow(2, 10),
// floor(-2.5) (an indirect function in glibc's x86_64 libm: the implementation is chosen per
// CPU) and ldexp(0.75, 4). Prints "sqrt=%.17g pow=%g floor=%g ldexp=%g" on stdout.
#include <dlfcn.h>
#include <stdio.h>

typedef double (*Fn1)(double);
typedef double (*Fn2)(double, double);
typedef double (*FnDI)(double, int);

int main(void) {
  void* libm = dlopen("libm.so.6", RTLD_NOW);
  if (libm == NULL) return 1;
  Fn1 root = (Fn1)dlsym(libm, "sqrt");
  Fn2 power = (Fn2)dlsym(libm, "pow");
  Fn1 down = (Fn1)dlsym(libm, "floor");
  FnDI scale = (FnDI)dlsym(libm, "ldexp");
  if (root == NULL || power == NULL || down == NULL || scale == NULL) return 1;
  double r = root(2.0);
  double p = power(2.0, 10.0);
  double f = down(-2.5);
  double s = scale(0.75, 4);
  printf("sqrt=%.17g pow=%g floor=%g ldexp=%g\n", r, p, f, s);
  return 0;
}
