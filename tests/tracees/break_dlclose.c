/* break_dlclose: loads libm with dlopen, calls cbrt(8), unloads it with dlclose; twice. The
 * second load may map libm where the first was: a breakpoint of the first must not survive in
 * ptk's books as if it were still there. Writes "cubes 4" and exits 0 when the calls were right. */
#include <dlfcn.h>
#include <stdio.h>

int main(void) {
  double sum = 0;
  for (int round = 0; round < 2; ++round) {
    void* libm = dlopen("libm.so.6", RTLD_NOW);
    if (libm == NULL) return 1;
    double (*cbrt_fn)(double) = (double (*)(double))dlsym(libm, "cbrt");
    if (cbrt_fn == NULL) return 1;
    sum += cbrt_fn(8.0);
    if (dlclose(libm) != 0) return 1;
  }
  printf("cubes %.0f\n", sum);
  return sum == 4.0 ? 0 : 2;
}
