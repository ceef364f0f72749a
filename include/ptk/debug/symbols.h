// Symbols of a traced process: every ELF object it maps (the program, its shared libraries,
// the vDSO), each read once with libelf at its load bias, with source lines from DWARF (libdw)
// where the object has them (built with -g, or a separate debug file such as libc6-dbg's under
// /usr/lib/debug/.build-id).
//
// A SymbolTable is a snapshot of /proc/PID/maps: refresh() rereads the maps and loads objects
// mapped since (dlopen) and drops those unmapped; after an execve, load a new table. Locations
// are written as a user types them (see resolve()). Like Session, it is single-threaded.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ptk/arch/arch.h"
#include "ptk/base/result.h"
#include "ptk/core/memory.h"

namespace ptk::debug {

enum class SymbolKind : std::uint8_t {
  Function,  // STT_FUNC / STT_GNU_IFUNC
  Code,      // STT_NOTYPE in an executable section: an assembly label such as _start
  Plt,       // a PLT entry, named "puts@plt"
  Object,    // data
};

enum class SymbolBinding : std::uint8_t { Global, Weak, Local };

struct Symbol {
  std::string name;           // as the ELF names it (mangled), without a "@VERSION" suffix
  std::string demangled;      // the C++ name ("ns::f(int)"); empty for C names
  std::uint64_t address = 0;  // run-time address (the ELF value plus the load bias)
  std::uint64_t size = 0;     // 0 when unknown (assembly labels)
  SymbolKind kind = SymbolKind::Function;
  SymbolBinding binding = SymbolBinding::Global;
  // STT_GNU_IFUNC: `address` is the resolver, which returns the implementation to call (the
  // loader calls it at relocation; glibc's strlen, memcmp, memcpy...).
  bool ifunc = false;

  const std::string& display_name() const { return demangled.empty() ? name : demangled; }
  bool is_code() const { return kind != SymbolKind::Object; }
};

struct SourceLine {
  std::string file;  // as the DWARF line table names it (usually an absolute path)
  int line = 0;
};

struct ModuleDebug;  // lazily opened DWARF of a module (symbols_lines.cpp)

// One mapped ELF object.
struct Module {
  std::string path;                  // as /proc/PID/maps names it; "[vdso]" for the vDSO
  std::string name;                  // the file name without directories ("libc.so.6", "[vdso]")
  std::uint64_t start = 0, end = 0;  // lowest and highest address of its mappings
  std::uint64_t bias = 0;            // run-time address - ELF address
  Arch arch = Arch::X86_64;          // its ELF class
  bool main_program = false;         // /proc/PID/exe
  bool from_debug_file = false;      // symbols came (also) from a separate debug file
  std::vector<Symbol> symbols;       // sorted by address

  bool contains(std::uint64_t addr) const { return addr >= start && addr < end; }

  // Implementation details of the table (indexes over `symbols`), set once loaded.
  std::vector<std::uint32_t> code_by_address;  // best code symbol per address, sorted
  std::shared_ptr<ModuleDebug> debug;          // DWARF, opened on first use
};

// An address as a user reads it.
struct AddressInfo {
  std::uint64_t address = 0;
  const Module* module = nullptr;  // null: in no known object
  const Symbol* symbol = nullptr;  // null: no symbol at or before it in the module
  std::uint64_t offset = 0;        // address - symbol->address

  // "main+4", "libc.so.6+0x1234" without a symbol, "0x7ffd1234" outside any object.
  std::string to_string() const;
};

// What resolve() found for a location.
struct ResolvedLocation {
  std::uint64_t address = 0;
  std::string description;  // "puts in libc.so.6", "hello.c:7 in main", "0x401000"
  // The location is a GNU indirect function's symbol itself: `address` is its resolver, and a
  // call must go to what the resolver returns in the process (inject::find_function does).
  bool ifunc = false;
};

class SymbolTable {
 public:
  // Reads /proc/PID/maps and the objects in it. `memory`, when given, reads the vDSO image
  // (it is in no file); it must outlive the table or be reset with set_memory().
  static Result<SymbolTable> load(pid_t pid, Memory* memory = nullptr);

  SymbolTable(SymbolTable&&) noexcept;
  SymbolTable& operator=(SymbolTable&&) noexcept;
  ~SymbolTable();

  pid_t pid() const { return pid_; }
  void set_memory(Memory* memory) { memory_ = memory; }
  // Rereads the maps: loads objects mapped since (dlopen), drops unmapped ones. Returns true
  // when the set of objects changed. Cheap when the maps did not change.
  Result<bool> refresh();

  // The program first, then the other objects in address order.
  std::span<const std::unique_ptr<Module>> modules() const { return modules_; }
  const Module* main_program() const;
  const Module* module_at(std::uint64_t addr) const;
  // A module by a user's name for it: a prefix of its file name ending at a '.' or '-' or at
  // the end ("libc", "libc.so.6", "ld-linux-x86-64"), or "vdso".
  const Module* find_module(std::string_view lib) const;

  // The code symbol containing `addr` (or the nearest one before it in its module).
  AddressInfo describe(std::uint64_t addr) const;
  // The source line of a code address, when its module has DWARF line tables.
  std::optional<SourceLine> line_at(std::uint64_t addr) const;

  // Symbols named `name` (raw, demangled, or a C++ name without its parameter list), in
  // `module` or in all modules (program first); functions before data, global before local.
  std::vector<const Symbol*> find(std::string_view name, const Module* module = nullptr) const;
  // Up to `max` names of code symbols close to `name` (edit distance, or containing it).
  std::vector<std::string> close_matches(std::string_view name, std::size_t max = 5) const;

  // A location as typed by a user:
  //   0x401000          an address (it must be inside a mapped object)
  //   main, ns::f       a symbol (functions first), optionally +OFFSET ("main+4", "f+0x10")
  //   libc:puts         a symbol of one object (see find_module)
  //   hello.c:12        the first address of a source line (or of the next line with code)
  // The error of an unknown symbol names close matches, in one line.
  Result<ResolvedLocation> resolve(std::string_view spec) const;
  // The lowest address of source line `line` of `file` (a path or its last components).
  Result<ResolvedLocation> resolve_line(std::string_view file, int line) const;

 private:
  explicit SymbolTable(pid_t pid, Memory* memory) : pid_(pid), memory_(memory) {}
  Status load_modules(std::string maps_text);

  pid_t pid_ = 0;
  Memory* memory_ = nullptr;
  std::string maps_text_;  // /proc/PID/maps as last read
  std::vector<std::unique_ptr<Module>> modules_;
};

// Edit-distance suggestions among `candidates` (shared by symbols and syscall names).
std::vector<std::string> closest_names(std::string_view name,
                                       std::span<const std::string> candidates,
                                       std::size_t max = 5);

// abi::__cxa_demangle, or "" when `name` is not a C++ mangled name.
std::string demangle(std::string_view name);
// A demangled C++ name as a user types it: without its parameter list, qualifiers and ABI tags
// ("ns::f[abi:cxx11](int) const" -> "ns::f").
std::string cxx_base_name(std::string_view demangled);
// An ELF name as ptk shows it: C names as they are, C++ names demangled to cxx_base_name
// ("_Znwm" -> "operator new").
std::string short_name(std::string_view name);

}  // namespace ptk::debug
