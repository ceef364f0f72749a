// libelf reading for the symbol table: opening objects, load bias, symbols and PLT entries.
#include "elf_image.h"

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>
#include <string_view>
#include <utility>

namespace ptk::debug::detail {
namespace {

// libelf refuses every call until the version handshake has been made once per process.
void init_libelf() {
  static std::once_flag once;
  std::call_once(once, [] { (void)elf_version(EV_CURRENT); });
}

std::string elf_message() {
  const char* m = elf_errmsg(-1);
  return m != nullptr ? m : "unknown libelf error";
}

// Names of sections, for the few looked up by name (.plt, .rela.plt, .debug_info).
std::string_view section_name(Elf* elf, const GElf_Shdr& shdr) {
  std::size_t shstrndx = 0;
  if (elf_getshdrstrndx(elf, &shstrndx) != 0) return {};
  const char* name = elf_strptr(elf, shstrndx, shdr.sh_name);
  return name != nullptr ? name : "";
}

Elf_Scn* find_section(Elf* elf, std::string_view name, GElf_Shdr& shdr) {
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    if (gelf_getshdr(scn, &shdr) != nullptr && section_name(elf, shdr) == name) return scn;
  }
  return nullptr;
}

bool executable_section(Elf* elf, std::size_t index) {
  GElf_Shdr shdr{};
  Elf_Scn* scn = elf_getscn(elf, index);
  return scn != nullptr && gelf_getshdr(scn, &shdr) != nullptr &&
         (shdr.sh_flags & SHF_EXECINSTR) != 0;
}

SymbolBinding binding_of(unsigned char info) {
  switch (GELF_ST_BIND(info)) {
    case STB_LOCAL:
      return SymbolBinding::Local;
    case STB_WEAK:
      return SymbolBinding::Weak;
    default:
      return SymbolBinding::Global;  // STB_GLOBAL, STB_GNU_UNIQUE
  }
}

// A symbol table's names: a .symtab of a debug file names versioned definitions as .symver
// wrote them ("memcpy@@GLIBC_2.14"); C and C++ names never contain '@'.
std::string plain_name(const char* name) {
  std::string_view sv(name);
  return std::string(sv.substr(0, sv.find('@')));
}

void read_table(Elf* elf, Elf_Scn* scn, const GElf_Shdr& shdr, std::uint64_t bias,
                std::vector<Symbol>& out) {
  Elf_Data* data = elf_getdata(scn, nullptr);
  if (data == nullptr || shdr.sh_entsize == 0) return;
  std::size_t count = shdr.sh_size / shdr.sh_entsize;
  for (std::size_t i = 1; i < count; ++i) {  // entry 0 is the reserved null symbol
    GElf_Sym sym{};
    if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr) break;
    // Undefined (imported), absolute (constants such as a length set with .set) and common
    // symbols have no address in this object.
    if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE) continue;
    SymbolKind kind;
    switch (GELF_ST_TYPE(sym.st_info)) {
      case STT_FUNC:
      case STT_GNU_IFUNC:
        kind = SymbolKind::Function;
        break;
      case STT_OBJECT:
        kind = SymbolKind::Object;
        break;
      case STT_NOTYPE:
        // Assembly labels (_start of a hand-written program) are NOTYPE; in code they are
        // what a user names, in data they are mostly linker markers (__bss_start, _end).
        if (!executable_section(elf, sym.st_shndx)) continue;
        kind = SymbolKind::Code;
        break;
      default:
        continue;  // sections, files, TLS offsets
    }
    const char* name = elf_strptr(elf, shdr.sh_link, sym.st_name);
    if (name == nullptr || *name == '\0') continue;
    Symbol s;
    s.name = plain_name(name);
    s.address = sym.st_value + bias;
    s.size = sym.st_size;
    s.kind = kind;
    s.binding = binding_of(sym.st_info);
    s.ifunc = GELF_ST_TYPE(sym.st_info) == STT_GNU_IFUNC;
    out.push_back(std::move(s));
  }
}

}  // namespace

ElfImage::ElfImage(ElfImage&& other) noexcept
    : fd_(std::move(other.fd_)),
      bytes_(std::move(other.bytes_)),
      elf_(std::exchange(other.elf_, nullptr)) {}

ElfImage& ElfImage::operator=(ElfImage&& other) noexcept {
  if (this != &other) {
    if (elf_ != nullptr) elf_end(elf_);
    fd_ = std::move(other.fd_);
    bytes_ = std::move(other.bytes_);  // a moved vector keeps its buffer: libelf's pointer holds
    elf_ = std::exchange(other.elf_, nullptr);
  }
  return *this;
}

ElfImage::~ElfImage() {
  if (elf_ != nullptr) elf_end(elf_);
}

Result<ElfImage> ElfImage::open_file(const std::string& path) {
  init_libelf();
  ElfImage image;
  image.fd_.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!image.fd_) return Error::from_errno(errno, fmt::format("open({})", path));
  image.elf_ = elf_begin(image.fd_.get(), ELF_C_READ_MMAP, nullptr);
  if (image.elf_ == nullptr || elf_kind(image.elf_) != ELF_K_ELF) {
    return Error(ErrorKind::InvalidArgument, fmt::format("elf_begin({})", path), 0,
                 "not an ELF file: " + elf_message());
  }
  return image;
}

Result<ElfImage> ElfImage::from_memory(std::vector<std::byte> bytes, const std::string& what) {
  init_libelf();
  ElfImage image;
  image.bytes_ = std::move(bytes);
  image.elf_ = elf_memory(reinterpret_cast<char*>(image.bytes_.data()), image.bytes_.size());
  if (image.elf_ == nullptr || elf_kind(image.elf_) != ELF_K_ELF) {
    return Error(ErrorKind::InvalidArgument, fmt::format("elf_memory({})", what), 0,
                 "not an ELF image: " + elf_message());
  }
  return image;
}

std::optional<Arch> elf_arch(Elf* elf) {
  GElf_Ehdr ehdr;
  if (gelf_getehdr(elf, &ehdr) == nullptr) return std::nullopt;
  switch (ehdr.e_machine) {
    case EM_X86_64:
      return Arch::X86_64;
    case EM_386:
      return Arch::I386;
    case EM_AARCH64:
      return Arch::Aarch64;
    default:
      return std::nullopt;
  }
}

std::optional<std::uint64_t> load_bias(Elf* elf, std::uint64_t map_start,
                                       std::uint64_t map_offset) {
  std::size_t count = 0;
  if (elf_getphdrnum(elf, &count) != 0) return std::nullopt;
  const std::uint64_t page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  for (std::size_t i = 0; i < count; ++i) {
    GElf_Phdr ph{};
    if (gelf_getphdr(elf, static_cast<int>(i), &ph) == nullptr || ph.p_type != PT_LOAD) continue;
    // The kernel maps each PT_LOAD from its page-aligned offset to its page-aligned address.
    std::uint64_t file_page = ph.p_offset & ~(page - 1);
    if (map_offset < file_page || map_offset >= ph.p_offset + ph.p_filesz) continue;
    std::uint64_t elf_address = (ph.p_vaddr & ~(page - 1)) + (map_offset - file_page);
    return map_start - elf_address;
  }
  return std::nullopt;
}

void read_symbols(Elf* elf, std::uint64_t bias, std::vector<Symbol>& out) {
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr{};
    if (gelf_getshdr(scn, &shdr) == nullptr) continue;
    if (shdr.sh_type == SHT_SYMTAB || shdr.sh_type == SHT_DYNSYM) {
      read_table(elf, scn, shdr, bias, out);
    }
  }
}

void read_plt_symbols(Elf* elf, std::uint64_t bias, std::vector<Symbol>& out) {
  GElf_Shdr rel{}, plt{}, plt_sec{};
  bool rela = true;
  Elf_Scn* rel_scn = find_section(elf, ".rela.plt", rel);
  if (rel_scn == nullptr) {
    rel_scn = find_section(elf, ".rel.plt", rel);  // i386 uses REL relocations
    rela = false;
  }
  bool have_plt = find_section(elf, ".plt", plt) != nullptr;
  // With IBT (-fcf-protection) the entries a call jumps to are in .plt.sec, one per
  // relocation; otherwise .plt has a header (PLT0) and then one entry per relocation. The
  // entries are 16 bytes on x86 and aarch64; the header is 16 bytes on x86, 32 on aarch64
  // (its PLT0 saves x16/x30 and loads the resolver through adrp: AArch64 ELF ABI, "PLT").
  bool have_sec = find_section(elf, ".plt.sec", plt_sec) != nullptr;
  if (rel_scn == nullptr || rel.sh_entsize == 0 || (!have_plt && !have_sec)) return;
  constexpr std::uint64_t kEntry = 16;
  const std::uint64_t header = elf_arch(elf) == Arch::Aarch64 ? 32 : kEntry;
  std::size_t count = rel.sh_size / rel.sh_entsize;
  std::uint64_t first = have_sec ? plt_sec.sh_addr : plt.sh_addr + header;
  std::uint64_t room =
      have_sec ? plt_sec.sh_size : (plt.sh_size > header ? plt.sh_size - header : 0);
  if (room < count * kEntry) return;  // not the layout assumed here: no PLT names
  Elf_Data* data = elf_getdata(rel_scn, nullptr);
  Elf_Scn* dynsym = elf_getscn(elf, rel.sh_link);
  GElf_Shdr dynsym_shdr{};
  if (data == nullptr || dynsym == nullptr || gelf_getshdr(dynsym, &dynsym_shdr) == nullptr) return;
  Elf_Data* syms = elf_getdata(dynsym, nullptr);
  if (syms == nullptr) return;
  for (std::size_t k = 0; k < count; ++k) {
    std::uint64_t info = 0;
    if (rela) {
      GElf_Rela r{};
      if (gelf_getrela(data, static_cast<int>(k), &r) == nullptr) return;
      info = r.r_info;
    } else {
      GElf_Rel r{};
      if (gelf_getrel(data, static_cast<int>(k), &r) == nullptr) return;
      info = r.r_info;
    }
    // gelf widens an Elf32 r_info to the Elf64 layout, so GELF_R_SYM fits both classes.
    std::uint64_t sym_index = GELF_R_SYM(info);
    if (sym_index == 0) continue;  // IRELATIVE: an ifunc slot without a name
    GElf_Sym sym{};
    if (gelf_getsym(syms, static_cast<int>(sym_index), &sym) == nullptr) continue;
    const char* name = elf_strptr(elf, dynsym_shdr.sh_link, sym.st_name);
    if (name == nullptr || *name == '\0') continue;
    Symbol s;
    s.name = plain_name(name) + "@plt";
    s.address = first + k * kEntry + bias;
    s.size = kEntry;
    s.kind = SymbolKind::Plt;
    s.binding = SymbolBinding::Local;
    out.push_back(std::move(s));
  }
}

std::optional<std::string> debug_file_of(Elf* elf) {
  const void* id = nullptr;
  ssize_t len = dwelf_elf_gnu_build_id(elf, &id);
  if (len < 2 || id == nullptr) return std::nullopt;
  const auto* bytes = static_cast<const unsigned char*>(id);
  std::string path = fmt::format("/usr/lib/debug/.build-id/{:02x}/", bytes[0]);
  for (ssize_t i = 1; i < len; ++i) path += fmt::format("{:02x}", bytes[i]);
  path += ".debug";
  if (::access(path.c_str(), R_OK) != 0) return std::nullopt;
  return path;
}

bool has_dwarf(Elf* elf) {
  GElf_Shdr shdr{};
  for (std::string_view name : {".debug_info", ".zdebug_info"}) {
    if (find_section(elf, name, shdr) != nullptr && shdr.sh_type != SHT_NOBITS &&
        shdr.sh_size > 0) {
      return true;
    }
  }
  return false;
}

}  // namespace ptk::debug::detail
