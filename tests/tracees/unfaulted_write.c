// Writes 16 bytes from a page it never touched into a pipe: at the write's entry the page is
// not mapped in yet (the kernel faults it in when write reads it), which the eBPF backend's
// kernel program cannot do itself, so it reads the buffer again at the exit.
#include <sys/mman.h>
#include <unistd.h>

int main(void) {
  char* page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (page == MAP_FAILED) return 2;
  int fds[2];
  if (pipe(fds) != 0) return 3;
  return write(fds[1], page, 16) == 16 ? 0 : 4;
}
