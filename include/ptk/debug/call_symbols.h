// The dynamic function symbols of an ELF object, as `ptk calls` needs them: what a program
// imports (its undefined .dynsym functions) and what a library exports (defined ones, with
// GNU indirect functions told apart: their symbol is a resolver, not the function).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ptk/base/result.h"

namespace ptk::debug {

struct DynamicFunction {
  std::string name;           // without a version suffix
  std::uint64_t address = 0;  // exports: the ELF address (add the module's bias); imports: 0
  bool ifunc = false;         // STT_GNU_IFUNC: `address` is the resolver's
};

struct DynamicFunctions {
  std::vector<DynamicFunction> imports;  // undefined STT_FUNC symbols
  std::vector<DynamicFunction> exports;  // defined global/weak functions, default versions only
};

// Reads .dynsym of the object at `path` (NotFound / InvalidArgument as ElfImage::open_file).
Result<DynamicFunctions> dynamic_functions(const std::string& path);

}  // namespace ptk::debug
