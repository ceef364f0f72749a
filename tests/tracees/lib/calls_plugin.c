// A library ptk calls' tests load with dlopen and trace with -l: built with -g, so that its
// prototypes come from DWARF.
const char* plugin_name(void) { return "calls_plugin"; }

int plugin_add(int a, int b) { return a + b; }

long plugin_scale(long value, unsigned factor) { return value * (long)factor; }

// Exported under a C++ name, `plugin::twice(int)`: ptk calls shows and matches it demangled.
int plugin_twice(int value) __asm__("_ZN6plugin5twiceEi");
int plugin_twice(int value) { return 2 * value; }
