// Prints the descriptors the process has open, one number per line in increasing order, not
// counting the one it reads /proc/self/fd through: the tracee of the descriptor-leak tests
// (a tracer must hand its command only the descriptors it was given itself).
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == NULL) return 2;
  int fds[1024];
  int count = 0;
  for (struct dirent* e; (e = readdir(dir)) != NULL;) {
    if (e->d_name[0] == '.') continue;
    int fd = atoi(e->d_name);
    if (fd != dirfd(dir) && count < 1024) fds[count++] = fd;
  }
  closedir(dir);
  for (int i = 0; i < count; ++i) {  // readdir's order is the kernel's: sort, smallest first
    for (int j = i + 1; j < count; ++j) {
      if (fds[j] < fds[i]) {
        int t = fds[i];
        fds[i] = fds[j];
        fds[j] = t;
      }
    }
  }
  for (int i = 0; i < count; ++i) printf("%d\n", fds[i]);
  return 0;
}
