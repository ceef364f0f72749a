// `ptk inject --lib PATH [--unload]`: load a shared object into a running process through its
// own dynamic loader (constructors run), or unload one.
#pragma once

#include <sys/types.h>

#include <string>

namespace ptk::cli {

struct LibOptions {
  pid_t pid = 0;
  pid_t tid = 0;
  std::string path;
  bool unload = false;
  bool json = false;
};

// Runs it and returns the exit code; errors are printed as one line.
int run_inject_lib(const LibOptions& o);

}  // namespace ptk::cli
