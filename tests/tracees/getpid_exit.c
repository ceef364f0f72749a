// Exits with the low 7 bits of what the getpid syscall returned, so a tracer that changes the
// syscall's return value sees the change in the exit status.
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
  long pid = syscall(SYS_getpid);
  return (int)(pid & 0x7f);
}
