// Loads the library given as argv[1] (calls_plugin) with dlopen and calls its function exported
// under a C++ name, plugin::twice(int), through dlsym; prints "twice=42".
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* lib = dlopen(argv[1], RTLD_NOW);
  if (lib == NULL) return 1;
  int (*twice)(int) = (int (*)(int))dlsym(lib, "_ZN6plugin5twiceEi");
  if (twice == NULL) return 1;
  printf("twice=%d\n", twice(21));
  return 0;
}
