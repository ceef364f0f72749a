// A shared object that cannot be loaded with RTLD_NOW: it needs a function nothing defines, so
// dlopen fails with "undefined symbol: ptk_no_such_function" (the dlerror text tests expect).
extern int ptk_no_such_function(int);

int ptk_unresolved_user(int x) { return ptk_no_such_function(x); }
