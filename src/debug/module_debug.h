// Internal: the DWARF of one module, opened on first use (most modules of a process are never
// asked for a source line, and libc's debug file is large).
#pragma once

#include <elfutils/libdw.h>

#include <cstdint>
#include <string>

#include "elf_image.h"

namespace ptk::debug {

struct ModuleDebug {
  ModuleDebug() = default;
  ModuleDebug(const ModuleDebug&) = delete;
  ModuleDebug& operator=(const ModuleDebug&) = delete;
  ~ModuleDebug();

  std::string object_path;  // the mapped file
  std::string debug_path;   // its separate debug file (build id), or empty
  std::uint64_t bias = 0;   // the module's: DWARF addresses are ELF addresses

  // The Dwarf of the object, else of its debug file; null when neither has DWARF.
  Dwarf* get();

 private:
  bool tried_ = false;
  detail::ElfImage image_;
  Dwarf* dwarf_ = nullptr;
};

}  // namespace ptk::debug
