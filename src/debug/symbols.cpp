// SymbolTable: the objects of /proc/PID/maps, each loaded once with its load bias, and the
// address -> symbol lookup. Name lookups and location parsing are in symbols_resolve.cpp,
// source lines in symbols_lines.cpp.
#include "ptk/debug/symbols.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <map>
#include <tuple>
#include <utility>

#include "elf_image.h"
#include "module_debug.h"
#include "ptk/core/proc.h"

namespace ptk::debug {
namespace {

// The mappings of one file (or of the vDSO), as /proc/PID/maps lists them.
struct MappedObject {
  std::string path;
  std::uint64_t start = 0, end = 0;
  std::uint64_t first_offset = 0;  // file offset of the lowest mapping
};

std::string identity(const MappedObject& o) {
  return fmt::format("{} {:x}-{:x}", o.path, o.start, o.end);
}
std::string identity(const Module& m) {
  return fmt::format("{} {:x}-{:x}", m.path, m.start, m.end);
}

std::vector<MappedObject> mapped_objects(const std::vector<MapEntry>& maps) {
  std::map<std::string, MappedObject> by_path;
  for (const MapEntry& e : maps) {
    // Files and the vDSO. A "(deleted)" file can no longer be opened by its name.
    bool file = e.path.starts_with('/') && !e.path.ends_with(" (deleted)");
    if (!file && e.path != "[vdso]") continue;
    auto [it, fresh] = by_path.try_emplace(e.path);
    MappedObject& o = it->second;
    if (fresh || e.start < o.start) {
      o.start = e.start;
      o.first_offset = e.offset;
    }
    if (fresh) o.path = e.path;
    o.end = std::max(o.end, e.end);
  }
  std::vector<MappedObject> out;
  for (auto& [path, o] : by_path) out.push_back(std::move(o));
  return out;
}

// Among symbols at one address, the name to show: a function over a label, global over weak
// over local, then the fewest leading underscores (write over __write over __libc_write).
auto display_rank(const Symbol& s) {
  int kind = s.kind == SymbolKind::Code ? 1 : 0;
  std::size_t underscores = s.name.find_first_not_of('_');
  return std::tuple(kind, static_cast<int>(s.binding),
                    underscores == std::string::npos ? s.name.size() : underscores, s.name.size(),
                    std::string_view(s.name));
}

void index_symbols(Module& m) {
  auto& syms = m.symbols;
  std::sort(syms.begin(), syms.end(), [](const Symbol& a, const Symbol& b) {
    return std::tie(a.address, a.name, a.kind) < std::tie(b.address, b.name, b.kind);
  });
  // .symtab and .dynsym (and a debug file's .symtab) repeat each other.
  syms.erase(std::unique(syms.begin(), syms.end(),
                         [](const Symbol& a, const Symbol& b) {
                           return a.address == b.address && a.name == b.name;
                         }),
             syms.end());
  for (Symbol& s : syms) s.demangled = demangle(s.name);
  m.code_by_address.clear();
  for (std::uint32_t i = 0; i < syms.size(); ++i) {
    const Symbol& s = syms[i];
    if (!s.is_code()) continue;
    if (!m.code_by_address.empty()) {
      std::uint32_t& last = m.code_by_address.back();
      if (syms[last].address == s.address) {
        if (display_rank(s) < display_rank(syms[last])) last = i;
        continue;
      }
    }
    m.code_by_address.push_back(i);
  }
}

Result<detail::ElfImage> open_object(const MappedObject& o, Memory* memory) {
  if (o.path != "[vdso]") return detail::ElfImage::open_file(o.path);
  // The vDSO is in no file: its image is read from the process.
  if (memory == nullptr) return Error(ErrorKind::Unsupported, "read [vdso]", 0, "no memory access");
  std::vector<std::byte> bytes(o.end - o.start);
  PTK_TRY(memory->read_exact(RemoteAddr(o.start), bytes));
  return detail::ElfImage::from_memory(std::move(bytes), "[vdso]");
}

Result<std::unique_ptr<Module>> load_module(const MappedObject& o, Memory* memory) {
  PTK_ASSIGN_OR_RETURN(detail::ElfImage image, open_object(o, memory));
  auto m = std::make_unique<Module>();
  m->path = o.path;
  m->name = o.path == "[vdso]" ? o.path : o.path.substr(o.path.rfind('/') + 1);
  m->start = o.start;
  m->end = o.end;
  m->arch = detail::elf_arch(image.get()).value_or(kHostArches[0]);
  m->bias = detail::load_bias(image.get(), o.start, o.first_offset).value_or(o.start);
  std::size_t before = 0;
  detail::read_symbols(image.get(), m->bias, m->symbols);
  detail::read_plt_symbols(image.get(), m->bias, m->symbols);
  auto debug = std::make_shared<ModuleDebug>();
  debug->bias = m->bias;
  if (o.path != "[vdso]") {
    debug->object_path = o.path;
    // A stripped object keeps only .dynsym (exported names); the separate debug file, when
    // installed, has the full .symtab and the DWARF.
    if (auto path = detail::debug_file_of(image.get())) {
      debug->debug_path = *path;
      before = m->symbols.size();
      if (auto dbg = detail::ElfImage::open_file(*path); dbg.ok()) {
        detail::read_symbols(dbg->get(), m->bias, m->symbols);
        m->from_debug_file = m->symbols.size() > before;
      }
    }
    m->debug = std::move(debug);
  }
  index_symbols(*m);
  return m;
}

std::string exe_path(pid_t pid) {
  char buf[PATH_MAX];
  std::string link = fmt::format("/proc/{}/exe", pid);
  ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

SymbolTable::SymbolTable(SymbolTable&&) noexcept = default;
SymbolTable& SymbolTable::operator=(SymbolTable&&) noexcept = default;
SymbolTable::~SymbolTable() = default;

Result<SymbolTable> SymbolTable::load(pid_t pid, Memory* memory) {
  SymbolTable table(pid, memory);
  PTK_ASSIGN_OR_RETURN(std::string maps, read_proc_file(pid, "maps"));
  PTK_TRY(table.load_modules(std::move(maps)));
  return table;
}

Result<bool> SymbolTable::refresh() {
  PTK_ASSIGN_OR_RETURN(std::string maps, read_proc_file(pid_, "maps"));
  if (maps == maps_text_) return false;
  std::vector<std::string> before;
  for (const auto& m : modules_) before.push_back(identity(*m));
  PTK_TRY(load_modules(std::move(maps)));
  std::vector<std::string> after;
  for (const auto& m : modules_) after.push_back(identity(*m));
  return before != after;
}

Status SymbolTable::load_modules(std::string maps_text) {
  auto maps = parse_maps(maps_text);
  if (!maps) {
    return Error(ErrorKind::Io, fmt::format("parse /proc/{}/maps", pid_), 0, "malformed line");
  }
  // Objects still mapped where they were keep their loaded symbols.
  std::map<std::string, std::unique_ptr<Module>> old;
  for (auto& m : modules_) old[identity(*m)] = std::move(m);
  modules_.clear();
  std::string exe = exe_path(pid_);
  for (const MappedObject& o : mapped_objects(*maps)) {
    std::unique_ptr<Module> m;
    if (auto it = old.find(identity(o)); it != old.end()) {
      m = std::move(it->second);
    } else {
      auto loaded = load_module(o, memory_);
      // Mapped files that are not ELF objects (locale archives, fonts, data files) and files
      // that cannot be read are not code: they have no symbols to offer.
      if (!loaded.ok()) continue;
      m = std::move(*loaded);
      m->start = o.start;  // identity() of the module is that of its mappings
      m->end = o.end;
    }
    m->main_program = !exe.empty() && m->path == exe;
    modules_.push_back(std::move(m));
  }
  // The program first (its names win over a library's), then by address.
  std::sort(modules_.begin(), modules_.end(), [](const auto& a, const auto& b) {
    return std::tuple(!a->main_program, a->start) < std::tuple(!b->main_program, b->start);
  });
  maps_text_ = std::move(maps_text);
  return ok_status();
}

const Module* SymbolTable::main_program() const {
  return !modules_.empty() && modules_[0]->main_program ? modules_[0].get() : nullptr;
}

const Module* SymbolTable::module_at(std::uint64_t addr) const {
  for (const auto& m : modules_) {
    if (m->contains(addr)) return m.get();
  }
  return nullptr;
}

const Module* SymbolTable::find_module(std::string_view lib) const {
  if (lib == "vdso" || lib == "[vdso]") {
    for (const auto& m : modules_) {
      if (m->path == "[vdso]") return m.get();
    }
    return nullptr;
  }
  for (const auto& m : modules_) {
    std::string_view name = m->name;
    if (name == lib || m->path == lib) return m.get();
    if (name.starts_with(lib) && (name[lib.size()] == '.' || name[lib.size()] == '-')) {
      return m.get();
    }
  }
  return nullptr;
}

AddressInfo SymbolTable::describe(std::uint64_t addr) const {
  AddressInfo info{.address = addr};
  const Module* m = module_at(addr);
  if (m == nullptr) return info;
  info.module = m;
  const auto& idx = m->code_by_address;
  auto it = std::upper_bound(idx.begin(), idx.end(), addr, [m](std::uint64_t a, std::uint32_t i) {
    return a < m->symbols[i].address;
  });
  if (it == idx.begin()) return info;
  // The nearest symbol at or before the address. When it has a size that ends before the
  // address, an address inside an earlier (enclosing) symbol is looked for a little further
  // back; failing that the address is in code no symbol covers, and is shown by module offset
  // rather than as a misleading "nearest+0x5000".
  constexpr int kLookBack = 16;
  auto near = std::prev(it);
  for (auto c = near;; --c) {
    const Symbol& s = m->symbols[*c];
    if (s.size == 0 ? c == near : addr < s.address + s.size) {
      info.symbol = &s;
      info.offset = addr - s.address;
      return info;
    }
    if (c == idx.begin() || near - c >= kLookBack) break;
  }
  return info;
}

std::string AddressInfo::to_string() const {
  if (symbol != nullptr) return fmt::format("{}+{}", symbol->display_name(), offset);
  if (module != nullptr) return fmt::format("{}+{:#x}", module->name, address - module->bias);
  return {};
}

}  // namespace ptk::debug
