// Loads the library given as argv[1] with dlopen after start-up, calls its functions through
// dlsym, unloads it, then loads it and calls it again (ptk calls must forget the breakpoints of
// an unloaded library and set them again). Prints each result on stdout:
//   "add=5 scale=-42 name=calls_plugin" then "again=12"
#include <dlfcn.h>
#include <stdio.h>

typedef int (*AddFn)(int, int);
typedef long (*ScaleFn)(long, unsigned);
typedef const char* (*NameFn)(void);

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  void* lib = dlopen(argv[1], RTLD_NOW);
  if (lib == NULL) return 1;
  AddFn add = (AddFn)dlsym(lib, "plugin_add");
  ScaleFn scale = (ScaleFn)dlsym(lib, "plugin_scale");
  NameFn name = (NameFn)dlsym(lib, "plugin_name");
  if (add == NULL || scale == NULL || name == NULL) return 1;
  printf("add=%d scale=%ld name=%s\n", add(2, 3), scale(-21, 2), name());
  dlclose(lib);
  lib = dlopen(argv[1], RTLD_NOW);
  if (lib == NULL) return 1;
  add = (AddFn)dlsym(lib, "plugin_add");
  printf("again=%d\n", add(5, 7));
  dlclose(lib);
  return 0;
}
