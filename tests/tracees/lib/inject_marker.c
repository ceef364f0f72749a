// A shared object the injection tests load into tracees. Its constructor proves it ran by
// appending "loaded PID" to the file named by $PTK_INJECT_MARKER (when set), its destructor
// "unloaded PID". Without the variable it does nothing visible: the restore-proof tests load
// and unload it a few hundred times and compare the target's output and maps.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void mark(const char* what) {
  const char* path = getenv("PTK_INJECT_MARKER");
  if (path == NULL) return;
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return;
  char line[64];
  int n = snprintf(line, sizeof line, "%s %d\n", what, (int)getpid());
  if (n > 0 && write(fd, line, (size_t)n) != n) n = -1;
  close(fd);
}

__attribute__((constructor)) static void on_load(void) { mark("loaded"); }
__attribute__((destructor)) static void on_unload(void) { mark("unloaded"); }

// Something to call once loaded.
int ptk_marker_answer(int x) { return x * 2 + 1; }
