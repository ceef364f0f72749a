// Loads libm with dlopen(3) after start-up, then writes "loaded" and exits 0: the symbol table
// must find the new object when it rereads the maps.
#include <dlfcn.h>
#include <stddef.h>
#include <unistd.h>

int main(void) {
  if (dlopen("libm.so.6", RTLD_NOW) == NULL) return 1;
  return write(1, "loaded\n", 7) == 7 ? 0 : 1;
}
