// A memory layout for the memory tests. It maps four pages and unmaps the 2nd and 4th, so:
//   page 0 (rw) ends with the string "at the edge" whose NUL is the page's last byte,
//   page 1 is a hole, page 2 (rw) ends with 16 bytes 'y' and no NUL, page 3 is a hole.
// Then it writes one line "PAGESIZE AREA ANSWER RODATA\n" (hex addresses of the first page, of
// the function answer() in read-only text, and of a string in .rodata) and waits for stdin:
// at EOF it exits 0; after one byte it writes the .rodata string and a newline and exits with
// answer()'s value (42 unless the tracer patched the code).
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

__attribute__((noinline)) int answer(void) { return 42; }
// Called through a volatile pointer so that the call cannot be folded into a constant.
int (*volatile answer_fn)(void) = answer;

static const char rodata_str[] = "a rodata string";

int main(void) {
  long page = sysconf(_SC_PAGESIZE);
  char* area =
      mmap(NULL, (size_t)(4 * page), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (area == MAP_FAILED) return 2;
  static const char edge[] = "at the edge";
  memcpy(area + page - sizeof edge, edge, sizeof edge);
  memset(area + 3 * page - 16, 'y', 16);
  if (munmap(area + page, (size_t)page) != 0 || munmap(area + 3 * page, (size_t)page) != 0) {
    return 3;
  }
  char line[128];
  int len = snprintf(line, sizeof line, "%lx %lx %lx %lx\n", (unsigned long)page,
                     (unsigned long)(uintptr_t)area, (unsigned long)(uintptr_t)answer,
                     (unsigned long)(uintptr_t)rodata_str);
  if (write(1, line, (size_t)len) != len) return 4;
  char byte;
  if (read(0, &byte, 1) != 1) return 0;
  if (write(1, rodata_str, strlen(rodata_str)) < 0 || write(1, "\n", 1) != 1) return 5;
  return answer_fn();
}
