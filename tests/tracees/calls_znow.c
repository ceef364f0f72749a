// The library calls of `ptk calls`' main test, in a program linked with -z now (every PLT slot
// resolved before main, where PLT-patching tracers see nothing). It prints on stdout what the
// calls returned and which comparisons qsort made, so that the test can build the exact trace:
//   line 1: "strlen=N getenv=VALUE" (VALUE of CALLS_TEST_VAR, "(null)" when unset)
//   then one line per comparison: "cmp A B R" (R: what strcmp returned)
//   last:   "sorted FIRST SECOND THIRD"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char g_word[] = "calls";  // not const: strlen is called, not folded
static const char* g_cmp[16][2];
static int g_result[16];
static int g_count;

static int compare(const void* a, const void* b) {
  const char* x = *(const char* const*)a;
  const char* y = *(const char* const*)b;
  int r = strcmp(x, y);
  if (g_count < 16) {
    g_cmp[g_count][0] = x;
    g_cmp[g_count][1] = y;
    g_result[g_count++] = r;
  }
  return r;
}

char* volatile g_keep;  // the allocation is used: malloc and free are called, not elided

int main(void) {
  const char* words[] = {"pear", "apple", "fig"};
  puts("hello");
  size_t n = strlen(g_word);
  g_keep = malloc(32);
  qsort(words, 3, sizeof words[0], compare);
  free(g_keep);
  const char* value = getenv("CALLS_TEST_VAR");
  printf("strlen=%zu getenv=%s\n", n, value != NULL ? value : "(null)");
  for (int i = 0; i < g_count; ++i) printf("cmp %s %s %d\n", g_cmp[i][0], g_cmp[i][1], g_result[i]);
  printf("sorted %s %s %s\n", words[0], words[1], words[2]);
  return 0;
}
