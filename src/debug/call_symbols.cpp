// .dynsym with .gnu.version: a library may define one name several times (realpath@GLIBC_2.2.5
// and realpath@@GLIBC_2.3); a program linked today binds to the default version, the one whose
// version index does not have the hidden bit (0x8000) set.
#include "ptk/debug/call_symbols.h"

#include <elf.h>

#include "elf_image.h"

namespace ptk::debug {
namespace {

constexpr std::uint16_t kVersionHidden = 0x8000;  // VERSYM_HIDDEN, <elf.h> names it in comments

Elf_Data* section_data(Elf* elf, Elf64_Word type, GElf_Shdr& shdr, Elf_Scn** found = nullptr) {
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr; scn = elf_nextscn(elf, scn)) {
    if (gelf_getshdr(scn, &shdr) != nullptr && shdr.sh_type == type) {
      if (found != nullptr) *found = scn;
      return elf_getdata(scn, nullptr);
    }
  }
  return nullptr;
}

}  // namespace

Result<DynamicFunctions> dynamic_functions(const std::string& path) {
  PTK_ASSIGN_OR_RETURN(detail::ElfImage image, detail::ElfImage::open_file(path));
  Elf* elf = image.get();
  DynamicFunctions out;
  GElf_Shdr dynsym{}, versym_shdr{};
  Elf_Data* syms = section_data(elf, SHT_DYNSYM, dynsym);
  if (syms == nullptr || dynsym.sh_entsize == 0) return out;  // static: nothing dynamic
  Elf_Data* versym = section_data(elf, SHT_GNU_versym, versym_shdr);
  std::size_t count = dynsym.sh_size / dynsym.sh_entsize;
  for (std::size_t i = 1; i < count; ++i) {  // entry 0 is the reserved null symbol
    GElf_Sym sym{};
    if (gelf_getsym(syms, static_cast<int>(i), &sym) == nullptr) break;
    int type = GELF_ST_TYPE(sym.st_info);
    if (type != STT_FUNC && type != STT_GNU_IFUNC) continue;
    const char* name = elf_strptr(elf, dynsym.sh_link, sym.st_name);
    if (name == nullptr || *name == '\0') continue;
    if (sym.st_shndx == SHN_UNDEF) {
      out.imports.push_back({.name = name});
      continue;
    }
    if (GELF_ST_BIND(sym.st_info) == STB_LOCAL) continue;
    GElf_Versym ver = 0;
    if (versym != nullptr && gelf_getversym(versym, static_cast<int>(i), &ver) != nullptr &&
        (ver & kVersionHidden) != 0) {
      continue;  // an old version kept for old binaries
    }
    out.exports.push_back({.name = name, .address = sym.st_value, .ifunc = type == STT_GNU_IFUNC});
  }
  return out;
}

}  // namespace ptk::debug
