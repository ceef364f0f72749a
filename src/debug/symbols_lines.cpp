// Source lines through libdw: address -> file:line, and file:line -> address.
#include <fmt/format.h>

#include <limits>
#include <string_view>

#include "module_debug.h"
#include "ptk/debug/symbols.h"

namespace ptk::debug {

ModuleDebug::~ModuleDebug() {
  if (dwarf_ != nullptr) dwarf_end(dwarf_);
}

Dwarf* ModuleDebug::get() {
  if (tried_) return dwarf_;
  tried_ = true;
  for (const std::string* path : {&object_path, &debug_path}) {
    if (path->empty()) continue;
    auto image = detail::ElfImage::open_file(*path);
    if (!image.ok() || !detail::has_dwarf(image->get())) continue;
    // dwarf_begin_elf keeps using the Elf: the image lives as long as the Dwarf.
    Dwarf* dw = dwarf_begin_elf(image->get(), DWARF_C_READ, nullptr);
    if (dw == nullptr) continue;
    image_ = std::move(*image);
    dwarf_ = dw;
    break;
  }
  return dwarf_;
}

namespace {

// The compilation unit whose ranges hold `at` (an ELF address). gcc emits .debug_aranges,
// which dwarf_addrdie uses; clang does not, so each CU is asked as well.
bool find_cu(Dwarf* dw, Dwarf_Addr at, Dwarf_Die& cu) {
  if (dwarf_addrdie(dw, at, &cu) != nullptr) return true;
  Dwarf_Off offset = 0, next = 0;
  std::size_t header_size = 0;
  while (dwarf_nextcu(dw, offset, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
    if (dwarf_offdie(dw, offset + header_size, &cu) != nullptr && dwarf_haspc(&cu, at) == 1) {
      return true;
    }
    offset = next;
  }
  return false;
}

// Whether a line table's file name is the one a user typed: the same path, or a path that
// ends with it at a directory boundary ("hello.c" matches "/src/tests/hello.c").
bool same_file(std::string_view table_path, std::string_view typed) {
  if (table_path == typed) return true;
  return table_path.size() > typed.size() && table_path.ends_with(typed) &&
         table_path[table_path.size() - typed.size() - 1] == '/';
}

struct LineSearch {
  std::string_view file;
  int line = 0;
  bool file_seen = false;
  int best_line = std::numeric_limits<int>::max();  // the requested line, or the next with code
  std::uint64_t best_address = 0;                   // run-time
  std::string best_path{};
};

void search_cu(Dwarf_Die& cu, std::uint64_t bias, LineSearch& s) {
  Dwarf_Lines* lines = nullptr;
  std::size_t count = 0;
  if (dwarf_getsrclines(&cu, &lines, &count) != 0) return;
  for (std::size_t i = 0; i < count; ++i) {
    Dwarf_Line* l = dwarf_onesrcline(lines, i);
    const char* path = l != nullptr ? dwarf_linesrc(l, nullptr, nullptr) : nullptr;
    if (path == nullptr || !same_file(path, s.file)) continue;
    s.file_seen = true;
    int lineno = 0;
    bool stmt = false, end = false;
    Dwarf_Addr addr = 0;
    if (dwarf_lineno(l, &lineno) != 0 || dwarf_lineaddr(l, &addr) != 0) continue;
    // The end of a sequence is the address after the last instruction, not code of a line;
    // rows that are not statements are not where a debugger stops for a line.
    if (dwarf_lineendsequence(l, &end) != 0 || end) continue;
    if (dwarf_linebeginstatement(l, &stmt) != 0 || !stmt) continue;
    if (lineno < s.line || lineno > s.best_line) continue;
    std::uint64_t run_time = addr + bias;
    if (lineno < s.best_line || run_time < s.best_address) {
      s.best_line = lineno;
      s.best_address = run_time;
      s.best_path = path;
    }
  }
}

}  // namespace

std::optional<SourceLine> SymbolTable::line_at(std::uint64_t addr) const {
  const Module* m = module_at(addr);
  if (m == nullptr || !m->debug) return std::nullopt;
  Dwarf* dw = m->debug->get();
  if (dw == nullptr) return std::nullopt;
  Dwarf_Addr at = addr - m->bias;
  Dwarf_Die cu{};
  if (!find_cu(dw, at, cu)) return std::nullopt;
  Dwarf_Line* line = dwarf_getsrc_die(&cu, at);
  if (line == nullptr) return std::nullopt;
  const char* file = dwarf_linesrc(line, nullptr, nullptr);
  int lineno = 0;
  if (file == nullptr || dwarf_lineno(line, &lineno) != 0) return std::nullopt;
  return SourceLine{file, lineno};
}

Result<ResolvedLocation> SymbolTable::resolve_line(std::string_view file, int line) const {
  LineSearch s{.file = file, .line = line};
  bool any_dwarf = false;
  for (const auto& m : modules_) {
    if (!m->debug) continue;
    Dwarf* dw = m->debug->get();
    if (dw == nullptr) continue;
    any_dwarf = true;
    Dwarf_Off offset = 0, next = 0;
    std::size_t header_size = 0;
    while (dwarf_nextcu(dw, offset, &next, &header_size, nullptr, nullptr, nullptr) == 0) {
      Dwarf_Die cu{};
      if (dwarf_offdie(dw, offset + header_size, &cu) != nullptr) search_cu(cu, m->bias, s);
      offset = next;
    }
  }
  if (!any_dwarf) {
    return Error(
        ErrorKind::NotFound,
        fmt::format("no object of process {} has source lines for {}:{}", pid_, file, line), 0,
        "build the program with -g");
  }
  if (!s.file_seen) {
    return Error(ErrorKind::NotFound,
                 fmt::format("no source file '{}' in the line tables of process {}", file, pid_));
  }
  if (s.best_address == 0) {
    return Error(ErrorKind::NotFound, fmt::format("no code at or after line {} of {}", line, file));
  }
  AddressInfo where = describe(s.best_address);
  std::string in = where.symbol != nullptr ? " in " + where.symbol->display_name() : "";
  return ResolvedLocation{s.best_address, fmt::format("{}:{}{}", s.best_path, s.best_line, in)};
}

}  // namespace ptk::debug
