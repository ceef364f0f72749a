// A library whose exported function has a name no terminal should see raw (ESC [2J: clear the
// screen, BEL, and the C1 control CSI, U+009B, in UTF-8): `ptk calls -l` shows it escaped. The
// tracee hostile_names loads it with dlopen.
#define HOSTILE_LIB_NAME "lib\033[2J\007\302\233fn"

// Defined under that name (an asm label: the bytes go to the symbol table as they are; GCC
// needs the assembler's quotes around it, clang takes the label as the name itself).
#ifdef __clang__
int hostile_lib_fn(int value) __asm__(HOSTILE_LIB_NAME);
#else
int hostile_lib_fn(int value) __asm__("\"" HOSTILE_LIB_NAME "\"");
#endif
int hostile_lib_fn(int value) { return value + 1; }
