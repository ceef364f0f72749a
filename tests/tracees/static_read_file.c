// Prints the file named by argv[1] to stdout: the tracee of the --rewrite path-redirection
// tests, linked statically so that its 32-bit build needs no 32-bit libraries at run time.
// Exits 2 when the file cannot be opened, 3 on a read or write error.
#include <fcntl.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc != 2) return 100;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) return 2;
  char buf[4096];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) return 3;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(1, buf + done, (size_t)(n - done));
      if (w <= 0) return 3;
      done += w;
    }
  }
  return close(fd) == 0 ? 0 : 3;
}
